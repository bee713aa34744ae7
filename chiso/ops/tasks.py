"""Jobs run by the background worker. The heartbeat job is what proves the worker alive to /healthz: the
scheduler queues it every minute, only a running worker can execute it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task

WORKER = "worker"


@task()
def worker_heartbeat_task() -> str:
    from chiso.ops.models import Heartbeat

    now = timezone.now()
    Heartbeat.objects.update_or_create(name=WORKER, defaults={"beat_at": now})
    return now.isoformat()


@task()
def clean_up_task() -> dict[str, int]:
    """Expired sessions and finished job results older than CHISO_JOB_RESULTS_KEEP_DAYS go; nothing a user made does."""
    from django_tasks_db.models import DBTaskResult

    call_command("clearsessions")
    cutoff = timezone.now() - dt.timedelta(days=settings.CHISO_JOB_RESULTS_KEEP_DAYS)
    finished = DBTaskResult.objects.filter(finished_at__lt=cutoff)
    deleted, _ = finished.delete()
    return {"job_results_deleted": deleted}
