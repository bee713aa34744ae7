from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "chiso.public"
    verbose_name = _("Công khai")

    def ready(self) -> None:
        from chiso.public import cache  # noqa: F401 — connects the signals that refresh the public pages
