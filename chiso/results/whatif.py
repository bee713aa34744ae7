"""What-if: set target scores for some components and see the projected total, rank and group among
the other provinces of the same year (their results unchanged); and where points are cheapest: the
components ordered by what they could still add to the total.

A component's change carries up the tree: raising a sub-dimension by 0,5 raises its dimension and the
total by 0,5, since a PAPI dimension is the sum of its sub-dimensions and the total the sum of the
dimensions. Other indices are not sums (PAR INDEX is a percentage of points, SIPAS an average): their
components move, their total is not projected."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from chiso.frameworks.models import Node
from chiso.results.analysis import (
    SUMMED_INDICES,
    Analysis,
    ComparisonSet,
    NodeRow,
    comparison_set,
    quartile_group,
    rank_in,
)


@dataclass
class Projection:
    analysis: Analysis
    targets: dict[str, Decimal]  # node code → target score
    scores: dict[str, Decimal | None]  # node code → projected score
    total: Decimal | None
    rank: int | None
    group: int | None

    @property
    def gain(self) -> Decimal | None:
        if self.total is None or self.analysis.total is None:
            return None
        return self.total - self.analysis.total

    @property
    def rank_change(self) -> int | None:
        if self.rank is None or self.analysis.rank is None:
            return None
        return self.analysis.rank - self.rank


def _ancestors(row: NodeRow, by_id: dict[int, Node]) -> list[Node]:
    chain, node = [], by_id.get(row.node.parent_id) if row.node.parent_id else None
    while node is not None:
        chain.append(node)
        node = by_id.get(node.parent_id) if node.parent_id else None
    return chain


def project(analysis: Analysis, targets: dict[str, Decimal], peers: ComparisonSet | None = None) -> Projection:
    """Targets are scores, not increments; a target below the current score lowers it. Where both a
    component and something below it have targets, the component's target wins and its branch's
    targets are not added again. The projected total, rank and group exist only for indices whose
    total is the sum of the components, and only when most of the year's map has data."""
    peers = peers or comparison_set(analysis.result)
    rows = {row.node.code: row for row in analysis.rows}
    by_id = {row.node.pk: row.node for row in analysis.rows}
    scores: dict[str, Decimal | None] = {code: row.score for code, row in rows.items()}
    targeted = {rows[code].node.pk for code in targets if code in rows}
    deltas: dict[str, Decimal] = {}
    for code, target in targets.items():
        row = rows.get(code)
        if row is None or row.score is None or target == row.score:
            continue
        ancestors = _ancestors(row, by_id)
        if any(node.pk in targeted for node in ancestors):
            continue  # an ancestor's target already sets this branch
        delta = target - row.score
        deltas[code] = delta
        scores[code] = target
        for node in ancestors:
            current = scores.get(node.code)
            if current is not None:
                scores[node.code] = current + delta
    summed = analysis.result.framework.index in SUMMED_INDICES
    total = analysis.total + sum(deltas.values(), Decimal(0)) if summed and analysis.total is not None else None
    total_max = analysis.result.framework.total_max
    if total is not None and total_max is not None:
        # The published total may differ from the sum of its parts in the last decimal; never project past the maximum.
        total = min(total, total_max)
    others = [p.total for p in peers.peers if p.result_id != analysis.result.pk and p.total is not None]
    rank: int | None = None
    group: int | None = None
    if peers.ranks_computable and total is not None:
        rank = rank_in(total, others)
        group = quartile_group(total, [*others, total]) if analysis.group is not None else None
    return Projection(analysis, targets, scores, total, rank, group)


@dataclass
class Potential:
    row: NodeRow
    gain: Decimal  # points the total would gain at the component's maximum
    share_of_total: Decimal | None  # that gain as a share of the index's maximum


def potential_gains(analysis: Analysis, depth: int | None = None) -> list[Potential]:
    """Components by what reaching their maximum would add to the total, largest first; leaves by
    default (the components tasks act on), or one level of the tree."""
    total_max = analysis.result.framework.total_max
    parents = {row.node.parent_id for row in analysis.rows}
    items = []
    for row in analysis.rows:
        is_leaf = row.node.pk not in parents
        if (depth is None and not is_leaf) or (depth is not None and row.node.depth != depth):
            continue
        if row.gap is None or row.gap <= 0:
            continue
        share = row.gap / total_max if total_max else None
        items.append(Potential(row, row.gap, share))
    return sorted(items, key=lambda p: (-p.gain, p.row.node.position))
