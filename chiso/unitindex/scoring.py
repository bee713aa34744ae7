"""One definition of each rule of the score: what a valid score is, a sheet's totals, ranks and classes.

Total = appraised points + bonus − penalty + survey points; the percentage is of the unit's applicable
maximum (criteria marked "không áp dụng" leave it). Units are ranked within their unit type by percentage,
rounded to two decimals as it is published; equal percentages share a rank (1, 1, 3)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from chiso.core.numbers import vn_number
from chiso.frameworks.models import Node
from chiso.unitindex.models import CriterionDetail, Entry, Method, Participant

HUNDREDTH = Decimal("0.01")


class ScoreRejected(Exception):
    """The score is not one the criterion allows; the message says why."""


def check_score(node: Node, value: Decimal | None) -> None:
    """A score lies between 0 and the criterion's maximum, or is one of its listed choices."""
    if value is None:
        return
    detail: CriterionDetail | None = getattr(node, "criterion", None)
    choices = detail.choice_values() if detail else []
    if choices and value not in choices:
        raise ScoreRejected(_("Điểm của %(code)s phải là một trong các mức: %(choices)s.") % {
            "code": node.code, "choices": "; ".join(vn_number(choice) for choice in choices)})
    if value < 0:
        raise ScoreRejected(_("Điểm của %(code)s không được âm.") % {"code": node.code})
    if node.max_points is not None and value > node.max_points:
        raise ScoreRejected(_("Điểm của %(code)s vượt điểm tối đa %(max)s.") % {
            "code": node.code, "max": vn_number(node.max_points)})


@dataclass
class Totals:
    appraised: Decimal
    survey: Decimal
    bonus: Decimal
    penalty: Decimal
    applicable_max: Decimal
    self_total: Decimal

    @property
    def total(self) -> Decimal:
        return self.appraised + self.bonus - self.penalty + self.survey

    @property
    def percent(self) -> Decimal:
        if not self.applicable_max:
            return Decimal(0)
        return (self.total * 100 / self.applicable_max).quantize(HUNDREDTH, ROUND_HALF_UP)


def sheet_totals(participant: Participant, entries: Iterable[Entry]) -> Totals:
    """Entries with their nodes (and criteria details) loaded; survey criteria count as survey points."""
    totals = Totals(Decimal(0), Decimal(0), participant.bonus, participant.penalty, Decimal(0), Decimal(0))
    for entry in entries:
        if entry.not_applicable:
            continue
        totals.applicable_max += entry.node.max_points or 0
        score = entry.standing_score or Decimal(0)
        detail: CriterionDetail | None = getattr(entry.node, "criterion", None)
        if detail is not None and detail.method == Method.SURVEY:
            totals.survey += entry.final_score or Decimal(0)
        else:
            totals.appraised += score
            totals.self_total += entry.self_score or Decimal(0)
    return totals


def competition_ranks(percents: dict[int, Decimal]) -> dict[int, int]:
    """Ranks by percentage, highest first; equal percentages share the better rank and the next rank
    skips (90, 85, 85, 80 → 1, 2, 2, 4)."""
    ordered = sorted(percents.items(), key=lambda item: -item[1])
    ranks: dict[int, int] = {}
    for position, (key, percent) in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        ranks[key] = ranks[previous[0]] if previous and previous[1] == percent else position
    return ranks


def class_for(percent: Decimal, thresholds: list[dict[str, str]]) -> str:
    """The first class (highest minimum first) whose minimum the percentage reaches."""
    for threshold in sorted(thresholds, key=lambda item: -Decimal(str(item["min"]))):
        if percent >= Decimal(str(threshold["min"])):
            return str(threshold["name"])
    return ""


def node_sums(nodes: list[Node], leaf_scores: dict[int, Decimal]) -> dict[int, Decimal]:
    """Each node's score: a leaf's own, a parent's the sum of its scored children (pre-order, bottom-up)."""
    sums = dict(leaf_scores)
    for node in sorted(nodes, key=lambda n: -n.position):
        if node.parent_id and node.pk in sums:
            sums[node.parent_id] = sums.get(node.parent_id, Decimal(0)) + sums[node.pk]
    return sums
