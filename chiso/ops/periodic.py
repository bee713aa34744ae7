"""Periodic jobs for production, run by `chiso run_periodic` from one systemd timer (deploy/).

Each job is claimed with a conditional update of its `PeriodicJob` row before it is queued, so however many
times the command runs at once (a timer on two hosts, a manual run beside the timer) a job is queued once per
interval. The jobs themselves run in the background worker (`db_worker`), never in a web process; the
reminder job is also idempotent on its own (one notification per person and event, mails claimed one by one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from chiso.ops.models import PeriodicJob


@dataclass(frozen=True)
class Job:
    name: str
    every: dt.timedelta
    enqueue: Callable[[], object]


def _enqueue_heartbeat() -> object:
    from chiso.ops.tasks import worker_heartbeat_task

    return worker_heartbeat_task.enqueue()


def _enqueue_reminders() -> object:
    from chiso.monitoring.reminders.tasks import send_reminders_task

    return send_reminders_task.enqueue()


def _enqueue_cleanup() -> object:
    from chiso.ops.tasks import clean_up_task

    return clean_up_task.enqueue()


def jobs() -> list[Job]:
    """The schedule; intervals come from settings so a host can tune them without code."""
    return [
        Job("heartbeat", dt.timedelta(seconds=settings.CHISO_HEARTBEAT_INTERVAL_SECONDS), _enqueue_heartbeat),
        Job("reminders", dt.timedelta(minutes=settings.CHISO_REMINDER_INTERVAL_MINUTES), _enqueue_reminders),
        Job("clean_up", dt.timedelta(hours=24), _enqueue_cleanup),
    ]


def claim(name: str, every: dt.timedelta, now: dt.datetime) -> bool:
    """True for exactly one caller per interval: the one whose update moved `due_at` past now."""
    PeriodicJob.objects.get_or_create(name=name, defaults={"due_at": now})
    # Slightly less than the interval, so a timer firing every interval never skips a beat by jitter.
    next_due = now + every - dt.timedelta(seconds=min(5, every.total_seconds() / 10))
    claimed = PeriodicJob.objects.filter(name=name, due_at__lte=now).update(due_at=next_due, last_started_at=now)
    return claimed == 1


def run_due_jobs(now: dt.datetime | None = None) -> list[str]:
    """Queue every job that is due and claimed by this call; return their names."""
    now = now or timezone.now()
    queued = []
    for job in jobs():
        if claim(job.name, job.every, now):
            job.enqueue()
            queued.append(job.name)
    return queued
