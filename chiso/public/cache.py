"""The public page of a plan is cached whole; its key carries a per-plan version that is bumped when the
plan changes (header, targets, tasks, opting in or out), one of its reports is accepted or one of its evidence
files is marked public or unmarked, and a version of the published results (the charts). Nothing waits for a
timeout to show an accepted report or to hide a file."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from chiso.monitoring.models import Evidence, ReportingPeriod, ReportLine, ReportStatus, UnitReport
from chiso.plans.models import Plan, PlanTarget, Task
from chiso.results.models import Result

RESULTS_KEY = "public:results-version"


def _plan_key(plan_id: int) -> str:
    return f"public:plan-version:{plan_id}"


def _bump(key: str) -> None:
    """Now, and again once the change is committed: a page another process renders between the two reads the
    rows as they were before the change (it cannot see them yet) and would otherwise stay cached under the
    version bumped for that change."""
    _set_fresh_version(key)
    transaction.on_commit(lambda: _set_fresh_version(key))


def _set_fresh_version(key: str) -> None:
    # A fresh random version, written in one step: two processes bumping at once cannot land on the same value
    # (a read-then-write counter could), and no old page was ever cached under it.
    cache.set(key, uuid.uuid4().hex, None)


def bump_plan(plan_id: int) -> None:
    _bump(_plan_key(plan_id))


def _versions(keys: list[str]) -> list[str]:
    """The current version of each key. A version missing (never set, or evicted by the cache) gets a fresh one:
    falling back to a fixed default could find a page cached under that default before some change."""
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, None)  # add: a version set meanwhile by another process wins
            found[key] = cache.get(key)
    return [str(found[key]) for key in keys]


def page_key(plan_id: int, variant: str) -> str:
    plan_version, results_version = _versions([_plan_key(plan_id), RESULTS_KEY])
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
    _bump(RESULTS_KEY)
