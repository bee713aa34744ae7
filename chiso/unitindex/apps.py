from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitIndexConfig(AppConfig):
    name = "chiso.unitindex"
    label = "unitindex"
    verbose_name = _("Chỉ số CCHC của các đơn vị")

    def ready(self) -> None:
        # Stages close after their deadline on the reminder schedule's thread; cron hosts run
        # `manage.py close_index_stages` instead.
        from chiso.core.todo import register_todo_source
        from chiso.monitoring.reminders.scheduler import register_periodic_job
        from chiso.unitindex.tasks import close_due_stages_task
        from chiso.unitindex.todo import explanations_requested

        register_periodic_job(close_due_stages_task.enqueue)
        register_todo_source(explanations_requested)
