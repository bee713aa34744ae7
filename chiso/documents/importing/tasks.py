"""Background jobs of the import (django-tasks): they take the import's id, never the object."""

from __future__ import annotations

from django_tasks import task


@task()
def read_scan_task(plan_import_id: int) -> None:
    from chiso.documents.importing.scans import complete_scan

    complete_scan(plan_import_id)
