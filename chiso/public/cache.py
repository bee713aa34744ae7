"""The public page of a plan is cached whole; its key carries a per-plan version that is bumped when the
plan changes (header, targets, tasks, opting in or out), one of its reports is accepted or one of its evidence
files is marked public or unmarked, and a version of the published results (the charts). Nothing waits for a
timeout to show an accepted report or to hide a file."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from chiso.core import data_versions
from chiso.monitoring.models import Evidence, ReportingPeriod, ReportLine, ReportStatus, UnitReport
from chiso.plans.models import Plan, PlanTarget, Task
from chiso.results.models import Result

RESULTS_KEY = "public:results-version"


def _plan_key(plan_id: int) -> str:
    return f"public:plan-version:{plan_id}"


def bump_plan(plan_id: int) -> None:
    data_versions.replace_on_commit(_plan_key(plan_id))


def page_key(plan_id: int, variant: str) -> str:
    plan_version, results_version = data_versions.current([_plan_key(plan_id), RESULTS_KEY])
    return f"public:plan:{plan_id}:{variant}:{plan_version}.{results_version}"


@receiver(post_save, sender=Plan)
def _plan_saved(sender: Any, instance: Plan, **kwargs: Any) -> None:
    bump_plan(instance.pk)


@receiver([post_save, post_delete], sender=Task)
@receiver([post_save, post_delete], sender=PlanTarget)
def _plan_part_changed(sender: Any, instance: Task | PlanTarget, **kwargs: Any) -> None:
    bump_plan(instance.plan_id)


@receiver(post_save, sender=UnitReport)
def _report_saved(sender: Any, instance: UnitReport, **kwargs: Any) -> None:
    # Only accepted reports are shown; a report leaving "accepted" cannot happen, so this is the one event.
    if instance.status == ReportStatus.ACCEPTED:
        plan_id = ReportingPeriod.objects.filter(pk=instance.period_id).values_list("plan_id", flat=True).first()
        if plan_id is not None:
            bump_plan(plan_id)


@receiver(post_save, sender=Evidence)
def _evidence_saved(sender: Any, instance: Evidence, update_fields: frozenset[str] | None = None,
                    **kwargs: Any) -> None:
    # Marked or unmarked, or a public file removed: the page may change. An upload (not public) cannot.
    if instance.is_public or (update_fields is not None and "is_public" in update_fields):
        plan_id = (ReportLine.with_withdrawn.filter(pk=instance.line_id)
                   .values_list("report__period__plan_id", flat=True).first())
        if plan_id is not None:
            bump_plan(plan_id)


@receiver([post_save, post_delete], sender=Result)
def _result_changed(sender: Any, instance: Result, **kwargs: Any) -> None:
    data_versions.replace_on_commit(RESULTS_KEY)
