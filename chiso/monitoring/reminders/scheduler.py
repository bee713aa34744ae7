"""The reminder schedule without an extra service: a daemon thread in the web process that enqueues the
reminder job every CHISO_REMINDER_INTERVAL_MINUTES. With the default task backend the job runs right
there; with CHISO_TASKS_BACKEND=database it is queued for `manage.py db_worker` processes. Several web
processes each running the thread is harmless: reminders are recorded once per person and event.

CHISO_SCHEDULER=off turns the thread off, for hosts where cron runs `manage.py send_reminders`."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger(__name__)
_started = threading.Event()
_stop = threading.Event()
_threads: list[threading.Thread] = []
# Other apps' recurring jobs ride on the same thread (monitoring knows nothing of them): each is a callable
# that enqueues its own django-tasks job and must be safe to run twice (a conditional update claims its rows).
_extra_jobs: list[Callable[[], object]] = []


def register_periodic_job(job: Callable[[], object]) -> None:
    if job not in _extra_jobs:
        _extra_jobs.append(job)


def start_background_scheduler() -> bool:
    """Start the thread once per process; return whether it was started by this call."""
    if settings.CHISO_SCHEDULER != "thread" or _started.is_set():
        return False
    _started.set()
    interval = max(60, int(settings.CHISO_REMINDER_INTERVAL_MINUTES) * 60)
    _stop.clear()
    thread = threading.Thread(target=_run, args=(interval,), name="chiso-reminders", daemon=True)
    _threads.append(thread)
    thread.start()
    return True


def stop_background_scheduler(timeout: float = 30) -> None:
    """Stop the thread after its current run (used on shutdown and by tests)."""
    _stop.set()
    for thread in _threads:
        thread.join(timeout)
    _threads.clear()
    _started.clear()


def _run(interval: int) -> None:
    from chiso.monitoring.reminders.tasks import send_reminders_task

    # A short pause first, so a restart loop of the web server does not become a reminder loop.
    if _stop.wait(settings.CHISO_SCHEDULER_FIRST_DELAY_SECONDS):
        return
    while True:
        for job in [send_reminders_task.enqueue, *_extra_jobs]:
            try:
                job()
            except Exception:
                logger.exception("Scheduled job failed; the next run retries what is still due.")
            finally:
                close_old_connections()
        if _stop.wait(interval):
            return
