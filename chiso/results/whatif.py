"""What-if: set target scores for some components and see the projected total, rank and group among
the other provinces of the same year (their results unchanged); and where points are cheapest: the
components ordered by what they could still add to the total.

A component's change carries up the tree: raising a sub-dimension by 0,5 raises its dimension and the
total by 0,5, since a PAPI dimension is the sum of its sub-dimensions and the total the sum of the
dimensions."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from chiso.frameworks.models import Node
from chiso.results.analysis import Analysis, ComparisonSet, NodeRow, comparison_set, quartile_group, rank_in


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


def _parents(rows: list[NodeRow]) -> dict[int, Node | None]:
    by_id = {row.node.pk: row.node for row in rows}
    return {row.node.pk: by_id.get(row.node.parent_id) if row.node.parent_id else None for row in rows}


def project(analysis: Analysis, targets: dict[str, Decimal], peers: ComparisonSet | None = None) -> Projection:
    """Targets are scores, not increments; a target below the current score lowers it. Only the
    deepest targeted change counts once: a target on a dimension and on one of its sub-dimensions
    applies the dimension's target."""
    peers = peers or comparison_set(analysis.result)
    rows = {row.node.code: row for row in analysis.rows}
    parents = _parents(analysis.rows)
    scores: dict[str, Decimal | None] = {code: row.score for code, row in rows.items()}
    deltas: dict[str, Decimal] = {}
    for code, target in targets.items():
        row = rows.get(code)
        if row is None or row.score is None:
            continue
        if any(other != code and code.startswith(other + ".") for other in targets):
            continue  # an ancestor's target already sets this branch
        delta = target - row.score
        if delta == 0:
            continue
        deltas[code] = delta
        scores[code] = target
        node = parents[row.node.pk]
        while node is not None:
            if scores.get(node.code) is not None and node.code not in targets:
                scores[node.code] = scores[node.code] + delta  # type: ignore[operator]
            node = parents[node.pk]
    total_delta = sum(deltas.values(), Decimal(0))
    total = analysis.total + total_delta if analysis.total is not None else None
    others = [p.total for p in peers.peers if p.result_id != analysis.result.pk and p.total is not None]
    rank = rank_in(total, others) if others else None
    group = quartile_group(total, [*others, total]) if total is not None and analysis.group is not None else None
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
    codes = [row.node.code for row in analysis.rows]
    items = []
    for row in analysis.rows:
        is_leaf = not any(other.startswith(row.node.code + ".") for other in codes)
        if (depth is None and not is_leaf) or (depth is not None and row.node.depth != depth):
            continue
        if row.gap is None or row.gap <= 0:
            continue
        share = row.gap / total_max if total_max else None
        items.append(Potential(row, row.gap, share))
    return sorted(items, key=lambda p: (-p.gain, p.row.node.position))
