"""What /healthz checks. Each check answers ok or not, with no detail an outsider could use (no paths, no
versions, no error texts): the logs carry the detail."""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

logger = logging.getLogger(__name__)


def database_reachable() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def migrations_applied() -> bool:
    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def worker_needed() -> bool:
    """Only the database task backend has a worker to watch; in-process jobs need none."""
    return settings.TASKS["default"]["BACKEND"] != "django_tasks.backends.immediate.ImmediateBackend"


def worker_alive() -> bool:
    from chiso.ops.models import Heartbeat
    from chiso.ops.tasks import WORKER

    if not worker_needed():
        return True
    beat = Heartbeat.objects.filter(name=WORKER).values_list("beat_at", flat=True).first()
    if beat is None:
        return False
    return (timezone.now() - beat).total_seconds() <= settings.CHISO_HEARTBEAT_MAX_AGE_SECONDS


def media_writable() -> bool:
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=settings.MEDIA_ROOT, prefix=".healthz-") as probe:
        probe.write(b"ok")
        probe.flush()
    return True


def disk_free_enough() -> bool:
    free_mb = shutil.disk_usage(settings.MEDIA_ROOT).free // (1024 * 1024)
    return free_mb >= settings.CHISO_MIN_FREE_DISK_MB


CHECKS: dict[str, Callable[[], bool]] = {
    "database": database_reachable,
    "migrations": migrations_applied,
    "worker": worker_alive,
    "media": media_writable,
    "disk": disk_free_enough,
}
NEEDS_DATABASE = {"migrations", "worker"}


def run_checks() -> dict[str, bool]:
    """Every check, each isolated: one failing (or raising) does not hide the others."""
    results: dict[str, bool] = {}
    for name, check in CHECKS.items():
        if name in NEEDS_DATABASE and not results.get("database"):
            results[name] = False
            continue
        try:
            results[name] = bool(check())
        except (DatabaseError, OSError) as error:
            logger.warning("health check %s failed: %s", name, error)
            results[name] = False
    return results
