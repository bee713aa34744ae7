"""Background jobs (django-tasks); they take plain values, never model objects."""

from __future__ import annotations

from django_tasks import task


@task()
def close_due_stages_task() -> int:
    from chiso.unitindex.stages import close_due_stages

    return close_due_stages()


@task()
def build_dossier_task(dossier_id: int) -> None:
    from chiso.unitindex.dossier import build_dossier

    build_dossier(dossier_id)
