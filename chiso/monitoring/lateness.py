"""What is late on a given day. Every function takes `today`, so reminders, pages and tests agree on the
clock and a test can move it.

- A report is late when its period's deadline has passed and the unit has not submitted it once.
- An assignment is overdue when its due date has passed and no submitted or accepted report of its unit
  says it is done, done late or cannot be done (with a reason)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from chiso.monitoring.models import (
    CLOSED_LINE_STATUSES,
    ReportingPeriod,
    ReportLine,
    UnitReport,
)
from chiso.monitoring.state import COUNTED_REPORTS
from chiso.orgs.models import Unit
from chiso.plans.models import Assignment, PlanStatus


def monitored_assignments() -> QuerySet[Assignment]:
    """Assignments of issued province plans: a unit's own plan repeats them and would remind twice."""
    return Assignment.objects.filter(task__plan__parent__isnull=True, task__plan__status=PlanStatus.ISSUED)


def closed_assignments() -> QuerySet[ReportLine]:
    return ReportLine.objects.filter(
        assignment=OuterRef("pk"), status__in=CLOSED_LINE_STATUSES, report__status__in=COUNTED_REPORTS)


def open_assignments(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    return assignments.filter(~Exists(closed_assignments()))


def closed_assignment_ids(assignments: QuerySet[Assignment], reported_by: dt.date | None = None) -> set[int]:
    """Ids of the assignments a counted report has closed, by reports of periods due on or before
    `reported_by` when given (a period's report does not know of later ones). One query."""
    lines = ReportLine.objects.filter(
        assignment__in=assignments, report__status__in=COUNTED_REPORTS, status__in=CLOSED_LINE_STATUSES)
    if reported_by is not None:
        lines = lines.filter(report__period__due_date__lte=reported_by)
    return set(lines.values_list("assignment_id", flat=True))


def assignment_is_overdue(due_date: dt.date | None, closed: bool, today: dt.date) -> bool:
    """The rule of overdue_assignments for one assignment already read: due before today and not closed."""
    return bool(due_date and due_date < today and not closed)


def report_is_late(period: ReportingPeriod, report: UnitReport | None, today: dt.date) -> bool:
    """A report is late once its period's deadline has passed and the unit has never submitted it."""
    return today > period.due_date and not (report is not None and report.first_submitted_at is not None)


def overdue_assignments(assignments: QuerySet[Assignment], today: dt.date) -> QuerySet[Assignment]:
    return open_assignments(assignments.filter(due_date__lt=today))


def due_soon_assignments(assignments: QuerySet[Assignment], today: dt.date, days: int) -> QuerySet[Assignment]:
    return open_assignments(assignments.filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days=days)))


def owing_assignments(plan_ids: Iterable[int]) -> QuerySet[Assignment]:
    """The assignments that make units owe a plan's reports: every unit with a task in the plan owes each
    of its periods. The one definition of "owing" for pages, reminders and the emulation score."""
    return Assignment.objects.filter(task__plan_id__in=list(plan_ids))


def owing_units(plan_ids: Iterable[int]) -> dict[int, set[int]]:
    """Plan id → ids of the units owing its reports. One query."""
    owing: dict[int, set[int]] = {}
    for plan_id, unit_id in owing_assignments(plan_ids).values_list("task__plan_id", "unit_id").order_by().distinct():
        owing.setdefault(plan_id, set()).add(unit_id)
    return owing


@dataclass
class ReportRow:
    unit: Unit
    report: UnitReport | None
    is_late: bool
    submitted_late: bool


def period_rows(period: ReportingPeriod, today: dt.date) -> list[ReportRow]:
    """Every unit owing the period's report, with its report if any: late first, then by kind and name.
    Two queries whatever the number of units."""
    units = Unit.objects.filter(pk__in=owing_assignments([period.plan_id]).values("unit_id")).order_by("kind", "name")
    reports = {r.unit_id: r for r in period.reports.all()}
    rows = []
    for unit in units:
        report = reports.get(unit.pk)
        sent = report.first_submitted_at if report is not None else None
        rows.append(ReportRow(
            unit=unit, report=report, is_late=report_is_late(period, report, today),
            submitted_late=bool(sent and timezone.localdate(sent) > period.due_date)))
    rows.sort(key=lambda r: not r.is_late)
    return rows


def late_reports(periods: QuerySet[ReportingPeriod], today: dt.date) -> list[tuple[ReportingPeriod, int]]:
    """(period, unit id) for every report past its deadline and never submitted. One query for the owing
    units per plan, one for the submitted reports."""
    past = list(periods.filter(due_date__lt=today).select_related("plan"))
    return missing_reports(past)


def reports_due_soon(periods: QuerySet[ReportingPeriod], today: dt.date, days: int) -> list[tuple[ReportingPeriod, int]]:
    soon = list(periods.filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days=days))
                .select_related("plan"))
    return missing_reports(soon)


def missing_reports(periods: list[ReportingPeriod]) -> list[tuple[ReportingPeriod, int]]:
    """(period, unit id) for each unit owing a report for the periods that has never submitted it."""
    if not periods:
        return []
    owing = owing_units({p.plan_id for p in periods})
    submitted = set(UnitReport.objects.filter(period__in=periods, first_submitted_at__isnull=False)
                    .values_list("period_id", "unit_id"))
    return [(period, unit_id) for period in periods for unit_id in sorted(owing.get(period.plan_id, ()))
            if (period.pk, unit_id) not in submitted]
