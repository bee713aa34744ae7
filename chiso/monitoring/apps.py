from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "chiso.monitoring"
    verbose_name = _("Theo dõi thực hiện")

    def ready(self) -> None:
        from chiso.core.todo import register_todo_source
        from chiso.monitoring.figures_cache import connect_signals
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
        connect_signals()
