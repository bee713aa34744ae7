from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "chiso.monitoring"
    verbose_name = _("Theo dõi thực hiện")

    def ready(self) -> None:
        from chiso.core.todo import register_todo_source
        from chiso.monitoring.reminders.notifications import (
            notify_plan_approval_requested,
            notify_plan_returned,
        )
        from chiso.monitoring.todo import SOURCES
        from chiso.plans.approval import register_approval_listener, register_return_listener

        for source in SOURCES:
            register_todo_source(source)
        register_approval_listener(notify_plan_approval_requested)
        register_return_listener(notify_plan_returned)
        _watch_what_figures_read()


def _watch_what_figures_read() -> None:
    """Every save and delete of a model the cached figures (chiso.core.figures_cache) are computed from
    replaces their version."""
    from django.db.models.signals import post_delete, post_save

    from chiso.core.figures_cache import data_changed
    from chiso.frameworks.models import Framework, Node
    from chiso.monitoring.models import EmulationWeights, ReportingPeriod, ReportLine, UnitReport
    from chiso.orgs.models import Province, Unit, UnitGroup
    from chiso.plans.models import Assignment, Plan, PlanTarget, Task
    from chiso.results.models import Result, Score

    for model in (Plan, PlanTarget, Task, Assignment, ReportingPeriod, UnitReport, ReportLine, Unit, UnitGroup,
                  Province, Framework, Node, EmulationWeights, Result, Score):
        if model is not ReportLine:
            post_save.connect(data_changed, sender=model, dispatch_uid=f"figures:{model.__name__}:save")
        post_delete.connect(data_changed, sender=model, dispatch_uid=f"figures:{model.__name__}:delete")
    post_save.connect(_report_line_saved, sender=ReportLine, dispatch_uid="figures:ReportLine:save")


def _report_line_saved(instance: Any, **signal: Any) -> None:
    """Units save the lines of their draft reports many times a day, and no figure reads a report before it is
    sent (chiso.monitoring.state counts sent reports only; sending saves the report, which moves the version):
    only a line saved in a sent report moves it."""
    from chiso.core.figures_cache import data_changed
    from chiso.monitoring.models import ReportLine, UnitReport
    from chiso.monitoring.state import COUNTED_REPORTS

    if ReportLine.report.is_cached(instance):
        status = instance.report.status
    else:
        status = UnitReport.objects.filter(pk=instance.report_id).values_list("status", flat=True).first()
    if status in COUNTED_REPORTS:
        data_changed()
