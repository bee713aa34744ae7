"""The yearly emulation score (thi đua) of a province's units, from what monitoring knows:

    task rate   = (tasks done on time + late credit × tasks done late) / tasks assessed
    report rate = (reports on time + late credit × reports sent late) / reports owed
    score       = 100 × (task weight × task rate + report weight × report rate) / (sum of the weights used)

A task is assessed in the year of its due date, once that date has passed or a sent report says it is done;
whether it is done, on time or late follows chiso.monitoring.state, from the reports of periods ending within
the year and each plan's first report due after the year (the closing report after the plan's end, or the
next year's first report), so a task due on 31/12 is assessed with the report that can say it was done. It
earns nothing otherwise ("cannot be done" included). Ongoing tasks without a due date are not assessed.
A report is owed for every period of an issued province plan whose deadline in the year has passed, by every
unit with tasks in that plan; it is on time when first submitted by the deadline. A unit with nothing to assess in one part
is scored on the other alone; with nothing at all it is not ranked.

A fixed number of queries whatever the number of units, tasks and reports."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chiso.core.figures_cache import cached_figures
from chiso.core.text import collation_key
from chiso.monitoring import lateness
from chiso.monitoring.models import EmulationWeights, ReportingPeriod, ReportLine, UnitReport
from chiso.monitoring.state import AssignmentState, assignment_states
from chiso.orgs.models import Province, Unit
from chiso.orgs.unit_lists import KIND_GROUPS
from chiso.plans.models import PlanStatus

# Units are ranked among their own block, as provinces assess departments and communes apart; the blocks are
# the kinds of orgs.unit_lists, the bodies outside the administration ranked with the departments.
# Labels stay lazy: they are translated when a page shows them, in the reader's language.
BLOCKS: dict[str, tuple[Promise, list[str]]] = {
    "so-nganh": (_("Khối sở, ban, ngành"), [*KIND_GROUPS["so"][1], *KIND_GROUPS["khac"][1]]),
    "xa-phuong": (_("Khối xã, phường"), list(KIND_GROUPS["xa"][1])),
}
PLACES = Decimal("0.01")


def block_of(unit: Unit) -> str:
    return next((code for code, (_label, kinds) in BLOCKS.items() if unit.kind in kinds), "")


@dataclass
class UnitScore:
    unit: Unit
    tasks: int = 0
    tasks_on_time: int = 0
    tasks_late: int = 0
    reports: int = 0
    reports_on_time: int = 0
    reports_late: int = 0
    task_rate: Decimal | None = None
    report_rate: Decimal | None = None
    score: Decimal | None = None
    rank: int | None = None

    @property
    def tasks_not_done(self) -> int:
        return self.tasks - self.tasks_on_time - self.tasks_late

    @property
    def reports_missing(self) -> int:
        return self.reports - self.reports_on_time - self.reports_late


@dataclass
class EmulationTable:
    province: Province
    year: int
    as_of: dt.date
    weights: EmulationWeights
    rows: list[UnitScore]  # ranked first, highest score first; then the units with nothing assessed
    version: str = ""  # of the data it was computed from (chiso.core.figures_cache), to key fragments on

    def row_of(self, unit_id: int | None) -> UnitScore | None:
        return next((row for row in self.rows if row.unit.pk == unit_id), None)

    def sharing_rank(self, row: UnitScore) -> int:
        """How many other units have the same rank (an equal score)."""
        return sum(1 for other in self.rows if other.rank is not None and other.rank == row.rank) - 1

    @property
    def ranked(self) -> int:
        return sum(1 for row in self.rows if row.rank is not None)


def weights_for(province: Province) -> EmulationWeights:
    """The province's weights, or the defaults (unsaved) until a coordinator sets them."""
    return EmulationWeights.objects.filter(province=province).first() or EmulationWeights(province=province)


def assessment_day(year: int, today: dt.date) -> dt.date:
    """The day up to which a year is assessed: today while it runs, its last day once it is over."""
    return min(today, dt.date(year, 12, 31))


def emulation_years(province: Province, today: dt.date) -> list[int]:
    """Years with a report of an issued province plan due by today, newest first — the year a period
    covers, not the year of its deadline: the closing report of 2025, due 15/01/2026, assesses 2025."""
    dates = (ReportingPeriod.objects.filter(plan__province=province, plan__parent__isnull=True,
                                            plan__status=PlanStatus.ISSUED, due_date__lte=today)
             .dates("end", "year", order="DESC"))
    return [d.year for d in dates]


def _ratio(earned: Decimal | int, count: int) -> Decimal | None:
    return Decimal(earned) / count if count else None


def emulation_table(province: Province, year: int, today: dt.date, *, block: str = "",
                    weights: EmulationWeights | None = None) -> EmulationTable:
    """Every unit of the province (of one block, if given) with something to assess in `year`, ranked.
    Seven queries; with the province's own weights, computed once per version of the data
    (chiso.core.figures_cache)."""
    if weights is not None:
        return _computed(province, year, today, block, weights)
    return cached_figures("emulation", (province.pk, year, today, block),
                          lambda version: _computed(province, year, today, block, weights_for(province), version))


def _computed(province: Province, year: int, today: dt.date, block: str, weights: EmulationWeights,
              version: str | None = None) -> EmulationTable:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    monitored = lateness.monitored_assignments().filter(task__plan__province=province,
                                                        due_date__gte=start, due_date__lte=end)
    every_period = list(ReportingPeriod.objects.filter(
        plan__province=province, plan__parent__isnull=True, plan__status=PlanStatus.ISSUED,
    ).values_list("pk", "plan_id", "due_date"))
    periods = [p for p in every_period if start <= p[2] <= end and p[2] < today]
    owing = lateness.owing_units({p[1] for p in periods})
    assessed = list(monitored.values_list("pk", "unit_id", "due_date"))
    units_query = Unit.objects.filter(
        Q(pk__in=monitored.values("unit_id")) | Q(pk__in={u for ids in owing.values() for u in ids}),
        province=province)
    if block in BLOCKS:
        units_query = units_query.filter(kind__in=BLOCKS[block][1])
    units = {unit.pk: unit for unit in units_query.only("pk", "name", "short_name", "kind", "code")}
    states = assignment_states(ReportLine.objects.filter(_about_year(every_period, end), assignment__in=monitored))
    submitted = {(period_id, unit_id): timezone.localdate(first) for period_id, unit_id, first in
                 UnitReport.objects.filter(period_id__in=[p[0] for p in periods], first_submitted_at__isnull=False)
                 .values_list("period_id", "unit_id", "first_submitted_at")}
    scores: dict[int, UnitScore] = {}
    _count_tasks(scores, units, assessed, states, today)
    _count_reports(scores, units, periods, owing, submitted)
    for score in scores.values():
        _score(score, weights)
    # A table computed outside the cache gets a version of its own: a fragment keyed on it is never shared.
    return EmulationTable(province, year, assessment_day(year, today), weights, _ranked(scores),
                          version or uuid.uuid4().hex)


def _about_year(periods: list[tuple[int, int, dt.date]], end: dt.date) -> Q:
    """What the reports about the year said of each task: those of periods ending within the year, and each
    plan's first report due after it (the closing report, or the next year's first), so a task due on
    31/12 is assessed with the report that can say it was done. `periods`: (id, plan, deadline) of every
    period of the province's issued plans."""
    first_due_after: dict[int, dt.date] = {}
    for _period_id, plan_id, due_date in periods:
        if due_date > end and due_date < first_due_after.get(plan_id, dt.date.max):
            first_due_after[plan_id] = due_date
    closing = [period_id for period_id, plan_id, due_date in periods if first_due_after.get(plan_id) == due_date]
    return Q(report__period__end__lte=end) | Q(report__period_id__in=closing)


def _count_tasks(scores: dict[int, UnitScore], units: dict[int, Unit],
                 assessed: list[tuple[int, int, dt.date | None]], states: dict[int, AssignmentState],
                 today: dt.date) -> None:
    for assignment_id, unit_id, due_date in assessed:
        if unit_id not in units:
            continue
        assert due_date is not None  # the assessed assignments are those due within the year
        state = states.get(assignment_id)
        reported_done = bool(state and state.is_done)
        if due_date >= today and not reported_done:
            continue  # not due yet and not reported done: nothing to assess
        score = scores.setdefault(unit_id, UnitScore(unit=units[unit_id]))
        score.tasks += 1
        if state and state.on_time:
            score.tasks_on_time += 1
        elif reported_done:
            score.tasks_late += 1


def _count_reports(scores: dict[int, UnitScore], units: dict[int, Unit], periods: list[tuple[int, int, dt.date]],
                   owing: dict[int, set[int]], submitted: dict[tuple[int, int], dt.date]) -> None:
    for period_id, plan_id, due_date in periods:
        for unit_id in owing.get(plan_id, ()):
            if unit_id not in units:
                continue
            score = scores.setdefault(unit_id, UnitScore(unit=units[unit_id]))
            score.reports += 1
            sent = submitted.get((period_id, unit_id))
            if sent is not None and sent <= due_date:
                score.reports_on_time += 1
            elif sent is not None:
                score.reports_late += 1


def _ranked(scores: dict[int, UnitScore]) -> list[UnitScore]:
    """Scored units by score then name, equal scores sharing a rank (1, 2, 2, 4); then the unscored."""
    ranked = sorted((s for s in scores.values() if s.score is not None), key=lambda s: (-(s.score or 0), collation_key(s.unit.name)))
    for position, score in enumerate(ranked):
        tied = position and score.score == ranked[position - 1].score
        score.rank = ranked[position - 1].rank if tied else position + 1
    return ranked + sorted((s for s in scores.values() if s.score is None), key=lambda s: collation_key(s.unit.name))


def _score(score: UnitScore, weights: EmulationWeights) -> None:
    score.task_rate = _ratio(score.tasks_on_time + weights.late_task_credit * score.tasks_late, score.tasks)
    score.report_rate = _ratio(score.reports_on_time + weights.late_report_credit * score.reports_late,
                               score.reports)
    used = [(Decimal(weight), rate) for weight, rate in ((weights.task_weight, score.task_rate),
                                                         (weights.report_weight, score.report_rate))
            if rate is not None and weight > 0]
    if used:
        total_weight = sum((weight for weight, _rate in used), Decimal(0))
        weighted = sum((weight * rate for weight, rate in used), Decimal(0))
        score.score = (100 * weighted / total_weight).quantize(PLACES, ROUND_HALF_UP)
