"""The province leadership's page of one index: where the province stands (the latest published results and
their weak components), whether the plan's targets are met, and how the plan's tasks on that index are going
(completion, overdue tasks, units that have not reported). Monitoring reads results; results knows nothing
of monitoring."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q

from chiso.frameworks.models import IndexKind
from chiso.monitoring.dashboards.plan import PlanDashboard, plan_dashboard
from chiso.orgs.models import Province
from chiso.plans.models import Plan
from chiso.results.analysis import Analysis, Flag, NodeRow, analyse_many
from chiso.results.models import Result
from chiso.results.targets import TargetCheck, check_targets, plan_targets, target_results

WEAK_FLAGS = {Flag.LOW, Flag.FELL, Flag.LOWEST_GROUP}


@dataclass
class IndexPage:
    index: str
    plan: Plan | None
    plans: list[Plan]
    analyses: list[Analysis] = field(default_factory=list)
    targets: list[TargetCheck] = field(default_factory=list)
    dashboard: PlanDashboard | None = None

    @property
    def label(self) -> str:
        return str(IndexKind(self.index).label)

    @property
    def targets_met(self) -> int:
        return sum(1 for check in self.targets if check.met)

    @property
    def targets_missed(self) -> int:
        return sum(1 for check in self.targets if check.met is False)


def weak_components(analysis: Analysis) -> list[NodeRow]:
    """Top-level components that are low, fell or sit in the lowest group: what the plan must lift."""
    return [row for row in analysis.rows_at(0) if WEAK_FLAGS & set(row.flags)]


def latest_results(province: Province, index: str, candidates: list[Result] | None = None) -> list[Result]:
    """The province's results of the index in the latest year any exists; a province formed by the 2025
    merger shows its former provinces' until it has its own. candidates: index_results, when already read."""
    if candidates is None:
        candidates = index_results(province, index)
    if not candidates:
        return []
    latest = candidates[0].year
    of_year = [r for r in candidates if r.year == latest]
    return [r for r in of_year if r.province_id == province.pk] or of_year


def index_results(province: Province, index: str) -> list[Result]:
    """Every provincial result of the index of the province and of the provinces it was formed from, newest
    first: one query, from which the latest results, their previous years and the targets' results are taken."""
    subjects = Q(province_id=province.pk) | Q(province__in=Province.objects.filter(successors=province.pk))
    return list(Result.objects.provincial().filter(subjects, framework__index=index)
                .select_related("framework", "province").order_by("-year", "province__name"))


LEADERSHIP_INDICES = ("PAR_INDEX", "PAPI", "SIPAS")


def first_index_with_results(province: Province) -> str:
    """The index the leadership's overview opens on: the first of PAR INDEX, PAPI, SIPAS with a published
    result for the province (or the provinces it was merged from). One query."""
    subjects = [province.pk, *province.predecessors.values_list("pk", flat=True)]
    present = set(Result.objects.provincial().filter(framework__index__in=LEADERSHIP_INDICES,
                                                     province_id__in=subjects)
                  .values_list("framework__index", flat=True).distinct())
    return next((index for index in LEADERSHIP_INDICES if index in present), LEADERSHIP_INDICES[0])


def index_page(plans: list[Plan], province: Province, index: str, today: dt.date,
               chosen: Plan | None = None) -> IndexPage:
    """plans: the issued province plans covering the index, newest first; chosen defaults to the newest."""
    plan = chosen or (plans[0] if plans else None)
    page = IndexPage(index=index, plan=plan, plans=plans)
    candidates = index_results(province, index)
    latest = latest_results(province, index, candidates)
    targets = [target for target in plan_targets(plan) if target.index == index] if plan is not None else []
    # The plans are the province's own: its results of the index, every year, are all the targets can ask for.
    found = target_results(plan, targets, known=candidates) if plan is not None else {}
    analyses = analyse_many([*latest, *found.values()], history=candidates)
    page.analyses = [analyses[result.pk] for result in latest]
    if plan is not None:
        page.targets = check_targets(targets, found, analyses)
        page.dashboard = plan_dashboard(plan, today, index=index, overdue_limit=20)
    return page
