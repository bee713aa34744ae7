"""Evidence on a plan's public page: only files the province marked public, not removed, of lines of ACCEPTED
reports still answering a task of the plan. The page lists them under their task; the public download serves
one only under the same rule and only while its plan's page is public."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from chiso.monitoring.models import Evidence, ReportStatus
from chiso.plans.models import Plan
from chiso.public.scope import public_plans


@dataclass(frozen=True)
class PublicFile:
    pk: int
    name: str
    size: int


def published_evidence() -> QuerySet[Evidence]:
    return Evidence.objects.filter(is_public=True, removed_at__isnull=True, line__report__status=ReportStatus.ACCEPTED,
                                   line__assignment__isnull=False)


def downloadable_evidence(pk: int) -> Evidence | None:
    """The file if anyone may download it from a public page; None whether it does not exist or may not."""
    return published_evidence().filter(pk=pk, line__report__period__plan__in=public_plans()).first()


def evidence_by_task(plan: Plan) -> dict[int, list[PublicFile]]:
    """The plan's published files by task, in one query. A file carried forward from one report to the next is
    a row per report: the same content appears once under its task."""
    by_task: dict[int, list[PublicFile]] = {}
    seen: set[tuple[int, str]] = set()
    rows = (published_evidence().filter(line__assignment__task__plan=plan)
            .order_by("line__assignment__task_id", "line__report__period__due_date", "uploaded_at", "pk")
            .values_list("pk", "original_name", "size", "sha256", "line__assignment__task_id"))
    for pk, name, size, sha256, task_id in rows:
        if (task_id, sha256) not in seen:
            seen.add((task_id, sha256))
            by_task.setdefault(task_id, []).append(PublicFile(pk, name, size))
    return by_task
