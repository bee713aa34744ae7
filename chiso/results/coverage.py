"""Does a plan answer its results? For the result a plan responds to: which weak components (low,
fallen, in the lowest group) have no task at all, which have only tasks without a lead unit or a
time frame, and which tasks sit on components already at their maximum. Uncovered components get
suggestions: tasks that issued plans in the system attached to the same component.

Tasks and results meet by node code within the same index, so a plan written on the 2021 PAPI
framework answers a 2024 result of the same design."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from chiso.core.numbers import vn_number
from chiso.frameworks.models import Node
from chiso.plans.models import Plan, PlanStatus, ScheduleKind, Task
from chiso.results.analysis import Analysis, Flag, NodeRow, analyse
from chiso.results.models import Result

WEAK_FLAGS = {Flag.LOW, Flag.FELL, Flag.LOWEST_GROUP}
SUGGESTIONS_PER_COMPONENT = 5


def plan_year(plan: Plan) -> int:
    for day in (plan.period_start, plan.issued_on, plan.period_end):
        if day:
            return day.year
    return dt.date.today().year


def basis_results(plan: Plan) -> list[Result]:
    """The results a plan answers: for each index it covers, the latest year before the plan's year;
    the province's own result, or, for a province formed by a merger, its predecessors' results."""
    indices = {f.index for f in plan.frameworks.all()}
    subjects = [plan.province_id, *plan.province.predecessors.values_list("pk", flat=True)]
    candidates = list(Result.objects.provincial().filter(
        framework__index__in=indices, province_id__in=subjects, year__lt=plan_year(plan),
    ).select_related("framework", "province").order_by("-year"))
    chosen: list[Result] = []
    for index in sorted(indices):
        of_index = [r for r in candidates if r.framework.index == index]
        if not of_index:
            continue
        latest = of_index[0].year
        own = [r for r in of_index if r.year == latest and r.province_id == plan.province_id]
        chosen += own or [r for r in of_index if r.year == latest]
    return chosen


@dataclass
class CoverageRow:
    row: NodeRow
    tasks: list[Task]
    broad_tasks: list[Task]  # on a component above this one: they address it only in general
    suggestions: list[Task] = field(default_factory=list)

    @property
    def uncovered(self) -> bool:
        return not self.tasks and not self.broad_tasks

    @property
    def incomplete(self) -> bool:
        tasks = self.tasks or self.broad_tasks
        return bool(tasks) and all(not _is_actionable(t) for t in tasks)


@dataclass
class Coverage:
    plan: Plan
    result: Result
    analysis: Analysis
    weak: list[CoverageRow]
    kept_at_max: list[CoverageRow]

    @property
    def uncovered(self) -> list[CoverageRow]:
        return [c for c in self.weak if c.uncovered]

    @property
    def incomplete(self) -> list[CoverageRow]:
        return [c for c in self.weak if c.incomplete]

    @property
    def broad_only(self) -> list[CoverageRow]:
        return [c for c in self.weak if not c.tasks and c.broad_tasks]


def _is_actionable(task: Task) -> bool:
    has_lead = bool(task.lead_units.all()) or bool(task.lead_groups.all())
    has_time = task.due_date is not None or task.schedule_kind not in ("", ScheduleKind.UNSPECIFIED)
    return has_lead and has_time


def _inside(code: str, ancestor: str) -> bool:
    """By code, not by Node.parent: the plan's tasks may hang on another version of the framework than
    the result (a 2021-framework plan answering a 2024 result), and codes are what the versions share."""
    return code == ancestor or code.startswith(ancestor + ".")


def plan_coverage(plan: Plan, result: Result, with_suggestions: bool = True) -> Coverage:
    analysis = analyse(result)
    index = result.framework.index
    # Only the task's nodes of this index: a task on PAR INDEX "8" says nothing of PAPI dimension 8.
    tasks = list(plan.tasks.filter(nodes__framework__index=index).distinct()
                 .prefetch_related(Prefetch("nodes", queryset=Node.objects.filter(framework__index=index)),
                                   "lead_units", "lead_groups").order_by("order"))
    codes_of = {t.pk: [n.code for n in t.nodes.all()] for t in tasks}
    weak, kept = [], []
    for row in analysis.rows:
        if row.score is None:
            continue
        code = row.node.code
        direct = [t for t in tasks if any(_inside(c, code) for c in codes_of[t.pk])]
        broad = [t for t in tasks if t not in direct and any(_inside(code, c) for c in codes_of[t.pk])]
        if WEAK_FLAGS & set(row.flags):
            weak.append(CoverageRow(row, direct, broad))
        elif Flag.AT_MAX in row.flags and direct:
            kept.append(CoverageRow(row, direct, broad))
    coverage = Coverage(plan, result, analysis, weak, kept)
    if with_suggestions:
        _suggest(coverage, index)
    return coverage


def _suggest(coverage: Coverage, index: str) -> None:
    """Tasks of other issued plans on the same components: one query for all uncovered components."""
    wanted = {c.row.node.code: c for c in coverage.uncovered}
    if not wanted:
        return
    through = Task.nodes.through.objects.filter(
        node__framework__index=index, node__code__in=wanted,
        task__plan__status__in=[PlanStatus.ISSUED, PlanStatus.SUPERSEDED],
    ).exclude(task__plan=coverage.plan).select_related("task__plan__province", "node").order_by("-task__plan__issued_on", "task_id")
    seen: set[tuple[str, str]] = set()
    for link in through[: SUGGESTIONS_PER_COMPONENT * len(wanted) * 4]:
        row = wanted[link.node.code]
        key = (link.node.code, link.task.content.strip().lower())
        if key in seen or len(row.suggestions) >= SUGGESTIONS_PER_COMPONENT:
            continue
        seen.add(key)
        row.suggestions.append(link.task)


def issue_warnings(plan: Plan) -> list[str]:
    """Registered with plans.checks, shown before issuing: weak components without any task, and those
    whose only tasks have no lead unit or no time frame."""
    if plan.is_unit_plan:
        return []
    warnings = []
    for result in basis_results(plan):
        coverage = plan_coverage(plan, result, with_suggestions=False)
        for item in coverage.weak:
            if not (item.uncovered or item.incomplete):
                continue
            values = {"index": result.framework.get_index_display(), "year": result.year,
                      "subject": result.subject_name, "code": item.row.node.code, "name": item.row.node.name_vi,
                      "score": _short(item.row.score), "max": _short(item.row.node.max_points)}
            if item.uncovered:
                warnings.append(_("%(index)s %(year)s — %(subject)s: «%(code)s %(name)s» (%(score)s/%(max)s) "
                                  "chưa có nhiệm vụ nào trong kế hoạch.") % values)
            else:
                warnings.append(_("%(index)s %(year)s — %(subject)s: «%(code)s %(name)s» (%(score)s/%(max)s) "
                                  "chỉ có nhiệm vụ chưa giao đơn vị chủ trì hoặc chưa có thời hạn.") % values)
    return warnings


def _short(value: Decimal | None) -> str:
    return vn_number(value, 2) if value is not None else "—"
