"""A unit-level criteria tree: its leaves (the criteria a sheet scores), its maxima checks, and copying it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from chiso.core.numbers import vn_number
from chiso.frameworks.models import Framework, Node
from chiso.frameworks.services import copy_framework
from chiso.orgs.models import Province
from chiso.unitindex.models import CriterionDetail, Method, TreeSettings


def ordered_nodes(framework: Framework) -> list[Node]:
    return list(framework.nodes.select_related("criterion").order_by("position"))


def leaves(nodes: list[Node]) -> list[Node]:
    """The nodes nothing hangs from: these are scored, every node above them is a sum."""
    parents = {node.parent_id for node in nodes if node.parent_id}
    return [node for node in nodes if node.pk not in parents]


def method_of(node: Node) -> str:
    detail: CriterionDetail | None = getattr(node, "criterion", None)
    return detail.method if detail else Method.SELF


@dataclass(frozen=True)
class MaximaProblem:
    code: str
    message: str


@dataclass(frozen=True)
class TreeItem:
    """What the maxima check needs of a node, whether saved or still in an import preview."""

    code: str
    parent_code: str | None
    max_points: Decimal | None


def maxima_problems(framework: Framework, nodes: list[Node] | None = None) -> list[MaximaProblem]:
    nodes = ordered_nodes(framework) if nodes is None else nodes
    codes = {node.pk: node.code for node in nodes}
    items = [TreeItem(node.code, codes.get(node.parent_id) if node.parent_id else None, node.max_points)
             for node in nodes]
    return items_problems(items, framework.total_max)


def items_problems(items: list[TreeItem], stated_total: Decimal | None) -> list[MaximaProblem]:
    """Where the tree's maxima do not add up: a node whose children's maxima differ from its own, a
    criterion without a maximum, and the top level against the tree's stated total."""
    children: dict[str | None, list[TreeItem]] = {}
    for item in items:
        children.setdefault(item.parent_code, []).append(item)
    problems = [MaximaProblem(item.code, _("Chưa có điểm tối đa.")) for item in items if item.max_points is None]
    for item in items:
        kids = children.get(item.code, [])
        kid_maxima = [kid.max_points for kid in kids if kid.max_points is not None]
        if not kids or item.max_points is None or len(kid_maxima) < len(kids):
            continue
        total = sum(kid_maxima, Decimal(0))
        if total != item.max_points:
            problems.append(MaximaProblem(item.code, _(
                "Tổng điểm tối đa của các nội dung con là %(sum)s, khác điểm tối đa %(max)s.") % {
                "sum": vn_number(total), "max": vn_number(item.max_points)}))
    top = children.get(None, [])
    top_maxima = [item.max_points for item in top if item.max_points is not None]
    if stated_total is not None and top and len(top_maxima) == len(top):
        total = sum(top_maxima, Decimal(0))
        if total != stated_total:
            problems.append(MaximaProblem("", _(
                "Tổng điểm tối đa các lĩnh vực là %(sum)s, khác tổng điểm của bộ tiêu chí %(max)s.") % {
                "sum": vn_number(total), "max": vn_number(stated_total)}))
    return problems


@transaction.atomic
def copy_tree(source: Framework, *, province: Province, year: int) -> Framework:
    """Next year's tree in one action: the framework with its nodes (frameworks' own copy), then the
    criteria details and the bonus/penalty settings, matched by node code."""
    slug = f"{province.code}-cchc-{year}-{source.pk}"
    copy = copy_framework(source, province=province, slug=slug[:80], version=str(year),
                          name_vi=_("%(name)s (năm %(year)s)") % {"name": source.name_vi.split(" (năm")[0],
                                                                    "year": year},
                          valid_from=year)
    new_nodes = {node.code: node for node in copy.nodes.all()}
    details = [
        CriterionDetail(node=new_nodes[detail.node.code], rule_text=detail.rule_text,
                        evidence_required=detail.evidence_required,
                        explanation_required=detail.explanation_required, method=detail.method,
                        choices=detail.choices, allows_not_applicable=detail.allows_not_applicable)
        for detail in CriterionDetail.objects.filter(node__framework=source).select_related("node")
    ]
    CriterionDetail.objects.bulk_create(details)
    settings = TreeSettings.objects.filter(framework=source).first()
    if settings:
        TreeSettings.objects.create(framework=copy, bonus_max=settings.bonus_max, penalty_max=settings.penalty_max,
                                    demonstration=settings.demonstration)
    return copy
