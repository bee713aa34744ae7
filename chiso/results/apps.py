from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "chiso.results"
    verbose_name = _("Kết quả chỉ số")

    def ready(self) -> None:
        # Coverage gaps are shown before a plan is issued; plans knows nothing of results.
        from chiso.plans.checks import register_issue_check
        from chiso.results.coverage import issue_warnings

        register_issue_check(issue_warnings)
