"""The province dashboard of a plan: completion by index and by unit, overdue tasks, units that have not
reported. A fixed number of queries whatever the number of tasks, units and reports, and none while nothing
changes (chiso.core.figures_cache).

An assignment's state follows chiso.monitoring.state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import cast

from chiso.core.figures_cache import cached_figures
from chiso.core.text import collation_key
from chiso.frameworks.models import IndexKind
from chiso.monitoring import lateness
from chiso.monitoring.models import ReportingPeriod, ReportLine
from chiso.monitoring.state import DONE, AssignmentState, assignment_states
from chiso.orgs.models import Unit
from chiso.plans.models import Assignment, Plan, Task

__all__ = ["DONE", "PlanDashboard", "Tally", "plan_dashboard"]


@dataclass
class Tally:
    label: str
    assigned: int = 0
    done: int = 0
    on_time: int = 0
    overdue: int = 0
    cannot_do: int = 0
    reported: int = 0
    key: object = None

    @property
    def done_percent(self) -> int:
        return round(100 * self.done / self.assigned) if self.assigned else 0

    @property
    def open(self) -> int:
        """Neither done, nor overdue, nor reported impossible: in progress and not yet due."""
        return self.assigned - self.done - self.overdue - self.cannot_do

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.on_time / self.done) if self.done else None


@dataclass
class PlanDashboard:
    total: Tally
    by_index: list[Tally]
    by_node: list[Tally]
    by_unit: list[Tally]
    overdue: list[Assignment]
    overdue_count: int
    overdue_unit: Unit | None
    period: ReportingPeriod | None
    not_reported: list[Unit] = field(default_factory=list)
    version: str = ""  # of the data it was computed from (chiso.core.figures_cache), to key fragments on


@dataclass
class _Components:
    """Where each task is counted: its indices and the top-level components its nodes hang on."""

    indices: dict[int, set[str]]
    components: dict[int, set[int]]
    tops: dict[int, str]

    @property
    def order(self) -> dict[int, int]:
        return {pk: position for position, pk in enumerate(self.tops)}


def plan_dashboard(plan: Plan, today: dt.date, *, overdue_unit: Unit | None = None,
                   overdue_limit: int = 100, index: str | None = None) -> PlanDashboard:
    """overdue_unit narrows the overdue list to one unit (the drill-down from its row); index narrows the
    whole dashboard to the tasks on that index's components (the leadership page of one index). Computed
    once per state of the province (chiso.core.figures_cache)."""
    return cached_figures(
        "plan-dashboard", (plan.pk, today, overdue_unit.pk if overdue_unit else None, overdue_limit, index),
        lambda version: _computed(plan, today, overdue_unit=overdue_unit, overdue_limit=overdue_limit, index=index,
                                  version=version))


def _computed(plan: Plan, today: dt.date, *, overdue_unit: Unit | None, overdue_limit: int,
              index: str | None, version: str) -> PlanDashboard:
    tasks = Task.objects.filter(plan=plan)
    if index is not None:
        tasks = tasks.filter(pk__in=Task.nodes.through.objects.filter(
            task__plan=plan, node__framework__index=index).values("task_id"))
    plan_assignments = Assignment.objects.filter(task__in=tasks)
    assignments = list(plan_assignments.values_list("pk", "unit_id", "due_date", "task_id"))
    # The plan's lines by a plain join, narrowed to the index in memory: PostgreSQL plans a nested
    # "assignment in (tasks with a node of the index)" over every report line of the country (0,4 s at scale).
    states = assignment_states(ReportLine.objects.filter(assignment__task__plan=plan), {a[0] for a in assignments})
    components = _components(plan, index)
    units = {u.pk: u for u in Unit.objects.filter(pk__in={a[1] for a in assignments})}
    total = Tally(str(plan))
    by_index: dict[str, Tally] = {}
    by_node: dict[int, Tally] = {}
    by_unit: dict[int, Tally] = {}
    for assignment_id, unit_id, due_date, task_id in assignments:
        state = states.get(assignment_id)
        tallies = [total, by_unit.setdefault(unit_id, Tally(units[unit_id].name, key=units[unit_id]))]
        tallies += [by_index.setdefault(ix, Tally(_index_label(ix), key=ix))
                    for ix in sorted(components.indices.get(task_id, ()))]
        tallies += [by_node.setdefault(pk, Tally(components.tops[pk], key=pk))
                    for pk in components.components.get(task_id, ()) if pk in components.tops]
        _count(tallies, state, lateness.assignment_is_overdue(due_date, bool(state and state.closed), today,
                                                                     plan.period_end))
    overdue_qs = lateness.overdue_assignments(plan_assignments, today)
    if overdue_unit is not None:
        overdue_qs = overdue_qs.filter(unit=overdue_unit)
    overdue_list = list(overdue_qs.select_related("task", "unit").order_by("due_date", "task__order")[:overdue_limit])
    period = plan.reporting_periods.filter(due_date__lt=today).order_by("-due_date").first()
    not_reported: list[Unit] = []
    if period is not None:
        missing = {unit_id for _p, unit_id in lateness.missing_reports([period])}
        not_reported = sorted((units[u] for u in missing if u in units), key=lambda u: (u.kind, collation_key(u.name)))
    order = components.order
    return PlanDashboard(
        total=total, by_index=sorted(by_index.values(), key=lambda t: t.label),
        by_node=sorted(by_node.values(), key=lambda t: order[cast(int, t.key)]),
        by_unit=sorted(by_unit.values(), key=lambda t: (-t.overdue, t.done_percent, collation_key(t.label))),
        overdue=overdue_list, overdue_unit=overdue_unit,
        overdue_count=by_unit[overdue_unit.pk].overdue if overdue_unit and overdue_unit.pk in by_unit else total.overdue,
        period=period, not_reported=not_reported, version=version,
    )


def _components(plan: Plan, index: str | None) -> _Components:
    """A task counts under the top-level component (chỉ số nội dung, lĩnh vực) each of its nodes hangs on;
    frameworks have at most three levels, so the grandparent is the top. One query: each link brings its
    node's ancestors' labels along."""
    indices: dict[int, set[str]] = {}
    components: dict[int, set[int]] = {}
    found: dict[int, tuple[str, int, str]] = {}
    links = Task.nodes.through.objects.filter(task__plan=plan)
    if index is not None:
        links = links.filter(node__framework__index=index)
    levels = ("node__parent__parent__", "node__parent__", "node__")
    fields = [f"{level}{name}" for level in levels for name in ("id", "code", "name_vi", "position")]
    for task_id, task_index, *ancestry in links.values_list("task_id", "node__framework__index", *fields):
        top_id, code, name, position = next(ancestry[at:at + 4] for at in (0, 4, 8) if ancestry[at] is not None)
        indices.setdefault(task_id, set()).add(task_index)
        components.setdefault(task_id, set()).add(top_id)
        found[top_id] = (task_index, position, f"{_index_label(task_index)} {code}. {name}")
    tops = {pk: label for pk, (_ix, _position, label) in sorted(found.items(), key=lambda item: item[1][:2])}
    return _Components(indices, components, tops)


def _count(tallies: list[Tally], state: AssignmentState | None, overdue: bool) -> None:
    for tally in tallies:
        tally.assigned += 1
        tally.done += bool(state and state.is_done)
        tally.on_time += bool(state and state.on_time)
        tally.overdue += overdue
        tally.cannot_do += bool(state and state.cannot_do)
        tally.reported += state is not None


def _index_label(index: str) -> str:
    return str(IndexKind(index).label) if index in IndexKind.values else index
