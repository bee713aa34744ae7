"""Background jobs, through the django-tasks API: run at once in-process by default, queued in the
database for `manage.py db_worker` when CHISO_TASKS_BACKEND=database. Jobs take plain values, never
model objects, so they can be queued."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django_tasks import task


@task()
def send_reminders_task(today: str | None = None) -> dict[str, Any]:
    from chiso.monitoring.reminders.rules import send_reminders

    outcome = send_reminders(dt.date.fromisoformat(today) if today else None)
    return outcome.as_dict()


@task()
def deliver_emails_task() -> int:
    from chiso.monitoring.reminders.notifications import deliver_pending_emails

    return deliver_pending_emails()
