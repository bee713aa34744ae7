"""Plan targets (chỉ tiêu) checked against actual results once they are entered: "PAR INDEX đạt 88,5%
trở lên", "nhóm trung bình cao trở lên", "tăng ít nhất 05 bậc" — met or not, and by how much."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from chiso.plans.models import Comparator, Plan, PlanTarget, TargetKind
from chiso.results.analysis import Analysis, analyse_many
from chiso.results.models import Group, Result

# How PlanTarget.value_text names a group ("nhóm trung bình cao trở lên" → high_avg).
GROUP_CODES = {"highest": Group.HIGHEST, "high_avg": Group.HIGH_AVERAGE, "low_avg": Group.LOW_AVERAGE,
               "lowest": Group.LOWEST}


@dataclass
class TargetCheck:
    target: PlanTarget
    result: Result | None
    actual: Decimal | None
    met: bool | None  # None: no result yet, or a target with no measurable wording
    margin: Decimal | None  # positive = beyond the target, in the target's own unit (points, %, places)


def _compare(actual: Decimal, wanted: Decimal, comparator: str, lower_is_better: bool = False) -> tuple[bool, Decimal]:
    margin = (wanted - actual) if lower_is_better else (actual - wanted)
    if comparator == Comparator.EQUAL:
        return actual == wanted, margin
    if comparator == Comparator.AT_MOST:
        margin = -margin
    return margin >= 0, margin


def check_target(target: PlanTarget, analysis: Analysis | None) -> TargetCheck:
    if analysis is None or target.kind == TargetKind.FREE:
        return TargetCheck(target, analysis.result if analysis else None, None, None, None)
    comparator = target.comparator or Comparator.AT_LEAST
    result = analysis.result
    if target.kind in (TargetKind.SCORE, TargetKind.PERCENT):
        if target.node is not None:
            node_code = target.node.code
            row = next((r for r in analysis.rows if r.node.code == node_code), None)
            actual = row.score if row else None  # a component the result does not have is not its total
        else:
            actual = analysis.total
        if actual is None or target.value is None:
            return TargetCheck(target, result, actual, None, None)
        met, margin = _compare(actual, target.value, comparator)
        return TargetCheck(target, result, actual, met, margin)
    if target.kind == TargetKind.RANK:
        if analysis.rank is None or target.value is None:
            return TargetCheck(target, result, None, None, None)
        # "xếp thứ 20 trở lên" means a rank number of 20 or less.
        met, margin = _compare(Decimal(analysis.rank), target.value, comparator, lower_is_better=True)
        return TargetCheck(target, result, Decimal(analysis.rank), met, margin)
    if target.kind == TargetKind.RANK_CHANGE:
        if analysis.rank_change is None or target.value is None:
            return TargetCheck(target, result, None, None, None)
        actual = Decimal(analysis.rank_change)
        met, margin = _compare(actual, target.value, comparator)
        return TargetCheck(target, result, actual, met, margin)
    if target.kind == TargetKind.GROUP:
        wanted = GROUP_CODES.get(target.value_text) or (int(target.value) if target.value is not None else None)
        if analysis.group is None or wanted is None:
            return TargetCheck(target, result, None, None, None)
        # Group 1 is the best: "trung bình cao trở lên" is group 2 or better.
        met, margin = _compare(Decimal(analysis.group), Decimal(wanted), comparator, lower_is_better=True)
        return TargetCheck(target, result, Decimal(analysis.group), met, margin)
    return TargetCheck(target, result, None, None, None)


def check_plan_targets(plan: Plan) -> list[TargetCheck]:
    """Each measurable target of the plan against the province's result of its index and year."""
    targets = plan_targets(plan)
    found = target_results(plan, targets)
    return check_targets(targets, found, analyse_many(list(found.values())))


def plan_targets(plan: Plan) -> list[PlanTarget]:
    return list(plan.targets.select_related("node"))


def _measurable(targets: list[PlanTarget]) -> set[tuple[str, int]]:
    return {(t.index, t.year) for t in targets if t.index and t.year and t.kind != TargetKind.FREE}


def target_results(plan: Plan, targets: list[PlanTarget],
                   known: list[Result] | None = None) -> dict[tuple[str, int], Result]:
    """The province's result of each measurable target's index and year, by (index, year). One query, or
    none when `known` holds every provincial result of the plan's province for the targets' indices."""
    wanted = _measurable(targets)
    if not wanted:
        return {}
    years, indices = {y for _, y in wanted}, {i for i, _ in wanted}
    if known is None:
        known = list(Result.objects.provincial().filter(
            province_id=plan.province_id, year__in=years, framework__index__in=indices,
        ).select_related("framework", "province"))
    return {(r.framework.index, r.year): r for r in known if r.province_id == plan.province_id
            and r.unit_id is None and r.year in years and r.framework.index in indices}


def check_targets(targets: list[PlanTarget], found: dict[tuple[str, int], Result],
                  analyses: dict[int, Analysis]) -> list[TargetCheck]:
    """analyses: at least those of the found results, by result id (shared with the page's other sections)."""
    checks = []
    for target in targets:
        result = found.get((target.index, target.year)) if target.index and target.year else None
        checks.append(check_target(target, analyses[result.pk] if result is not None else None))
    return checks
