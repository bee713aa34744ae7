"""A unit's own dashboard: its assignments plan by plan, what falls due next, what is late (tasks and
reports), the reports ahead, and its standing in the emulation table. A fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from chiso.monitoring import lateness
from chiso.monitoring.dashboards.emulation import (
    BLOCKS,
    EmulationTable,
    UnitScore,
    block_of,
    emulation_table,
    emulation_years,
)
from chiso.monitoring.dashboards.plan import Tally
from chiso.monitoring.models import ReportingPeriod, ReportLine, UnitReport
from chiso.monitoring.state import assignment_states
from chiso.orgs.models import Unit
from chiso.plans.models import Assignment, Plan

LIST_LIMIT = 50


@dataclass
class ReportDue:
    period: ReportingPeriod
    report: UnitReport | None


@dataclass
class UnitBoard:
    unit: Unit
    today: dt.date
    total: Tally
    by_plan: list[Tally]
    due_next: list[Assignment]
    overdue: list[Assignment]
    overdue_count: int
    late_reports: list[ReportingPeriod]
    reports_ahead: list[ReportDue]
    table: EmulationTable | None
    block_code: str = ""
    block_label: object = ""  # a lazy translation
    standing: UnitScore | None = field(default=None)
    tied_with: int = 0  # other units of the block with the same score


def unit_board(unit: Unit, today: dt.date) -> UnitBoard:
    mine = lateness.monitored_assignments().filter(unit=unit)
    rows = list(mine.values_list("pk", "task__plan_id", "due_date"))
    states = assignment_states(ReportLine.objects.filter(assignment__in=mine))
    plans = {plan.pk: plan for plan in Plan.objects.filter(pk__in={r[1] for r in rows}).only(
        "pk", "number", "symbol", "title")}
    total = Tally(unit.name)
    by_plan: dict[int, Tally] = {}
    for assignment_id, plan_id, due_date in rows:
        state = states.get(assignment_id)
        for tally in (total, by_plan.setdefault(plan_id, Tally(str(plans[plan_id]), key=plans[plan_id]))):
            tally.assigned += 1
            tally.done += bool(state and state.is_done)
            tally.on_time += bool(state and state.on_time)
            tally.overdue += lateness.assignment_is_overdue(due_date, bool(state and state.closed), today)
            tally.cannot_do += bool(state and state.cannot_do)
    open_mine = lateness.open_assignments(mine)
    due_next = list(open_mine.filter(due_date__gte=today).select_related("task__plan")
                    .order_by("due_date", "task__order")[:10])
    overdue_qs = lateness.overdue_assignments(mine, today)
    overdue = list(overdue_qs.select_related("task__plan").order_by("due_date", "task__order")[:LIST_LIMIT])

    periods = list(ReportingPeriod.objects.filter(plan_id__in=plans).select_related("plan").order_by("due_date"))
    reports = {r.period_id: r for r in UnitReport.objects.filter(period__in=periods, unit=unit)}
    late_reports = [p for p in periods if lateness.report_is_late(p, reports.get(p.pk), today)]
    ahead = [ReportDue(p, reports.get(p.pk)) for p in periods if p.due_date >= today][:5]

    block = block_of(unit)
    years = emulation_years(unit.province, today)
    table = emulation_table(unit.province, years[0], today, block=block) if years else None
    standing = table.row_of(unit.pk) if table else None
    return UnitBoard(
        unit=unit, today=today, total=total, by_plan=list(by_plan.values()), due_next=due_next, overdue=overdue,
        overdue_count=total.overdue, late_reports=late_reports, reports_ahead=ahead, table=table,
        block_code=block, block_label=BLOCKS[block][0] if block else "", standing=standing,
        tied_with=table.sharing_rank(standing) if table and standing and standing.rank else 0,
    )
