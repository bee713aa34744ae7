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

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from chiso.core.numbers import vn_number
from chiso.frameworks.models import Node
from chiso.orgs.models import Province
from chiso.plans.models import Plan, PlanStatus, Task
from chiso.results.analysis import Analysis, Flag, NodeRow, analyse_many
from chiso.results.models import Result
from chiso.results.targets import TargetCheck, check_targets, plan_targets, target_results

WEAK_FLAGS = {Flag.LOW, Flag.FELL, Flag.LOWEST_GROUP}
SUGGESTIONS_PER_COMPONENT = 5


def plan_year(plan: Plan) -> int:
    for day in (plan.period_start, plan.issued_on, plan.period_end):
        if day:
            return day.year
    return dt.date.today().year


def subjects_results(plan: Plan, indices: set[str]) -> list[Result]:
    """Every provincial result of the indices, of every year, of the plan's province or the provinces it was
    formed from, newest first: one query, from which the basis, the targets' results and the previous years
    are all taken."""
    subjects = Q(province_id=plan.province_id) | Q(province__in=Province.objects.filter(successors=plan.province_id))
    return list(Result.objects.provincial().filter(subjects, framework__index__in=indices)
                .select_related("framework", "province").order_by("-year"))


def basis_results(plan: Plan, candidates: list[Result] | None = None) -> list[Result]:
    """The results a plan answers: for each index it covers, the latest year before the plan's year;
    the province's own result, or, for a province formed by a merger, its predecessors' results.
    candidates: subjects_results of (at least) the plan's indices, when already read."""
    indices = {f.index for f in plan.frameworks.all()}
    if candidates is None:
        candidates = subjects_results(plan, indices)
    before = [r for r in candidates if r.year < plan_year(plan)]
    chosen: list[Result] = []
    for index in sorted(indices):
        of_index = [r for r in before if r.framework.index == index]
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
        return bool(tasks) and all(not t.is_actionable for t in tasks)


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


def _inside(code: str, ancestor: str) -> bool:
    """By code, not by Node.parent: the plan's tasks may hang on another version of the framework than
    the result (a 2021-framework plan answering a 2024 result), and codes are what the versions share."""
    return code == ancestor or code.startswith(ancestor + ".")


def plan_coverage(plan: Plan, result: Result, with_suggestions: bool = True) -> Coverage:
    return plan_coverages(plan, [result], with_suggestions)[0][0]


def plan_coverages(plan: Plan, results: list[Result] | None = None,
                   with_suggestions: bool = True) -> tuple[list[Coverage], list[TargetCheck]]:
    """The plan's coverage of each result (by default its basis results) and its targets' checks, in a number
    of queries that grows with neither the results nor the tasks: the frameworks, the targets, the subjects'
    results, one batch of analyses shared by coverage and targets, the tasks once, and the suggestions."""
    indices = {f.index for f in plan.frameworks.all()}
    targets = plan_targets(plan)
    candidates = subjects_results(plan, indices | {t.index for t in targets if t.index})
    if results is None:
        results = basis_results(plan, candidates)
    found = target_results(plan, targets, known=candidates)
    # The subjects' results of every year are the previous years of any result among them.
    read = {r.pk for r in candidates}
    history = candidates if all(r.pk in read for r in results) else None
    analyses = analyse_many([*results, *found.values()], history=history)
    tasks_of = _tasks_by_index(plan, {r.framework.index for r in results})
    coverages = []
    for result in results:
        coverage = _coverage(plan, result, analyses[result.pk], *tasks_of[result.framework.index])
        if with_suggestions:
            _suggest(coverage, result.framework.index)
        coverages.append(coverage)
    return coverages, check_targets(targets, found, analyses)


def _tasks_by_index(plan: Plan, indices: set[str]) -> dict[str, tuple[list[Task], dict[int, list[str]]]]:
    """The plan's tasks on each index, with the codes of their nodes of that index: read once for every index."""
    tasks = list(plan.tasks.filter(nodes__framework__index__in=indices).distinct()
                 .prefetch_related(Prefetch("nodes", queryset=Node.objects.filter(framework__index__in=indices)
                                            .select_related("framework")),
                                   "lead_units", "lead_groups").order_by("order"))
    by_index: dict[str, tuple[list[Task], dict[int, list[str]]]] = {}
    for index in indices:
        # Only the task's nodes of this index: a task on PAR INDEX "8" says nothing of PAPI dimension 8.
        codes_of = {t.pk: [n.code for n in t.nodes.all() if n.framework.index == index] for t in tasks}
        by_index[index] = ([t for t in tasks if codes_of[t.pk]], codes_of)
    return by_index


def _coverage(plan: Plan, result: Result, analysis: Analysis, tasks: list[Task],
              codes_of: dict[int, list[str]]) -> Coverage:
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
    return Coverage(plan, result, analysis, weak, kept)


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
    for coverage in plan_coverages(plan, with_suggestions=False)[0]:
        result = coverage.result
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
