"""From a result to what a plan's opening says about it: each component's score against its maximum,
its change since the previous year, its rank and quartile group among the provinces of that year, and
the flags that point at the work to do (at maximum → keep, low, fell, in the lowest group).

Everything is computed from a handful of queries whatever the number of provinces and years: the
comparison set (all results of the same index and year) is read once, with its scores, and every rank,
median and group comes from it in memory."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Q, QuerySet

from chiso.frameworks.models import IndexKind, Node
from chiso.orgs.models import Province
from chiso.results.models import Group, Result, Score

# Indices whose publisher places provinces in quartile groups.
GROUPED_INDICES = {IndexKind.PAPI}
# Indices whose total is the plain sum of the top-level scores (PAPI: eight dimensions of 10 points).
# PAR INDEX is a percentage of points, SIPAS an average, PCI weighted: their totals are only as published.
SUMMED_INDICES = {IndexKind.PAPI}
# A rank or group is computed only when most of the year's map has a total: ranking 7 quoted provinces
# among themselves would mislead (PAPI 2021 has 60 of 63, PAR INDEX 2023 in the built-in data 7).
MIN_COVERAGE = Decimal("0.75")
# Published totals are compared with the sum of their parts at the precision they are printed with.
TOTAL_PLACES = Decimal("0.001")


class Flag:
    AT_MAX = "at_max"
    LOW = "low"
    FELL = "fell"
    LOWEST_GROUP = "lowest_group"


@dataclass
class Peer:
    result_id: int
    published_total: Decimal | None
    summed: bool  # the index's total is the sum of its top-level scores
    scores: dict[str, Decimal] = field(default_factory=dict)
    top_codes: frozenset[str] = frozenset()

    @property
    def computed_total(self) -> Decimal | None:
        return computed_total(self.scores, self.top_codes) if self.summed else None

    @property
    def total(self) -> Decimal | None:
        return self.published_total if self.published_total is not None else self.computed_total


def computed_total(scores: dict[str, Decimal], top_codes: frozenset[str]) -> Decimal | None:
    """The sum of the top-level scores, only when every top-level component has one."""
    if not top_codes or any(code not in scores for code in top_codes):
        return None
    return sum((scores[code] for code in top_codes), Decimal(0))


@dataclass
class ComparisonSet:
    peers: list[Peer]
    map_size: int | None  # provinces on that year's map (None for a province's own units)

    def by_result(self) -> dict[int, Peer]:
        return {p.result_id: p for p in self.peers}

    def computable(self, count: int) -> bool:
        """Enough of the year's map has a value to rank and group by it."""
        if self.map_size:
            return count > 1 and count >= MIN_COVERAGE * self.map_size
        return count > 1

    def totals(self) -> list[Decimal]:
        return [t for t in (p.total for p in self.peers) if t is not None]

    @property
    def ranks_computable(self) -> bool:
        return self.computable(len(self.totals()))

    def values(self, code: str) -> list[Decimal]:
        return [p.scores[code] for p in self.peers if code in p.scores]


def comparison_set(result: Result) -> ComparisonSet:
    """Every result the given one is ranked against: the provinces on that year's map with a result of
    the same index, or the province's units of the same kind (departments among departments, communes
    among communes) with a result of the same framework. Three queries."""
    if result.unit is not None:
        results = Result.objects.filter(framework_id=result.framework_id, year=result.year,
                                        province_id=result.province_id, unit__kind=result.unit.kind)
        map_size = None
    else:
        on_map = Province.objects.on_map_in(result.year)
        results = Result.objects.provincial().filter(framework__index=result.framework.index, year=result.year,
                                                     province__in=on_map)
        map_size = on_map.count()
    return _load_peers(results, map_size)


def _load_peers(results: QuerySet[Result], map_size: int | None) -> ComparisonSet:
    rows = list(results.values_list("pk", "total", "framework_id", "framework__index"))
    peers = {pk: Peer(pk, total, index in SUMMED_INDICES) for pk, total, _, index in rows}
    framework_of = {pk: framework_id for pk, _, framework_id, _ in rows}
    top_codes: dict[int, set[str]] = defaultdict(set)
    for framework_id, code in Node.objects.filter(framework_id__in=set(framework_of.values()), depth=0).values_list(
            "framework_id", "code"):
        top_codes[framework_id].add(code)
    for result_id, code, value in Score.objects.filter(result_id__in=peers).values_list(
            "result_id", "node__code", "value"):
        peers[result_id].scores[code] = value
    for pk, peer in peers.items():
        peer.top_codes = frozenset(top_codes[framework_of[pk]])
    return ComparisonSet(list(peers.values()), map_size)


def rank_in(value: Decimal | None, values: list[Decimal]) -> int | None:
    """Competition rank from the top: 1 + how many score strictly higher."""
    if value is None:
        return None
    return 1 + sum(1 for other in values if other > value)


def quartile_group(value: Decimal | None, values: list[Decimal]) -> int | None:
    """PAPI's four groups: cut at the 25th, 50th and 75th percentiles of the year's scores (inclusive
    method, as the research data reproduces the published groups with it)."""
    if value is None or len(values) < 4:
        return None
    q1, q2, q3 = statistics.quantiles(sorted(values), n=4, method="inclusive")
    if value >= q3:
        return Group.HIGHEST
    if value >= q2:
        return Group.HIGH_AVERAGE
    if value >= q1:
        return Group.LOW_AVERAGE
    return Group.LOWEST


def rank_change(previous: int | None, rank: int | None) -> int | None:
    """Places climbed since the previous year (negative: fell), when both ranks are known."""
    return previous - rank if previous is not None and rank is not None else None


@dataclass
class NodeRow:
    node: Node
    score: Decimal | None
    share: Decimal | None
    previous: Decimal | None
    change: Decimal | None
    rank: int | None
    previous_rank: int | None
    group: int | None
    median: Decimal | None
    flags: list[str]  # Flag values

    @property
    def rank_change(self) -> int | None:
        return rank_change(self.previous_rank, self.rank)

    @property
    def gap(self) -> Decimal | None:
        if self.score is None or self.node.max_points is None:
            return None
        return max(self.node.max_points - self.score, Decimal(0))


@dataclass
class Analysis:
    result: Result
    previous: Result | None
    rows: list[NodeRow]
    published_total: Decimal | None
    computed_total: Decimal | None
    previous_total: Decimal | None
    rank: int | None
    rank_published: bool
    rank_of: int | None
    previous_rank: int | None
    group: int | None
    group_published: bool
    peers_with_total: int
    low_share: Decimal

    @property
    def total(self) -> Decimal | None:
        return self.published_total if self.published_total is not None else self.computed_total

    @property
    def total_differs(self) -> bool:
        """Show the recomputed total beside the published one only where they differ as printed."""
        if self.published_total is None or self.computed_total is None:
            return False
        return (self.published_total.quantize(TOTAL_PLACES, ROUND_HALF_UP)
                != self.computed_total.quantize(TOTAL_PLACES, ROUND_HALF_UP))

    @property
    def change(self) -> Decimal | None:
        if self.total is None or self.previous_total is None:
            return None
        return self.total - self.previous_total

    @property
    def rank_change(self) -> int | None:
        return rank_change(self.previous_rank, self.rank)

    def rows_at(self, depth: int) -> list[NodeRow]:
        return [row for row in self.rows if row.node.depth == depth]

    def flagged(self, flag: str, depth: int | None = None) -> list[NodeRow]:
        return [row for row in self.rows if flag in row.flags and (depth is None or row.node.depth == depth)]


def default_low_share() -> Decimal:
    return Decimal(str(getattr(settings, "CHISO_LOW_SHARE", "0.5")))


def _same_subject(result: Result) -> Q:
    """The same province, or the same unit of it (a provincial result has no unit)."""
    return Q(province_id=result.province_id, unit_id=result.unit_id)


def previous_result(result: Result) -> Result | None:
    """The same subject's result of the same index in the latest earlier year."""
    earlier = Result.objects.filter(_same_subject(result), framework__index=result.framework.index,
                                    year__lt=result.year)
    return earlier.select_related("framework").order_by("-year").first()


def analyse(result: Result, low_share: Decimal | None = None) -> Analysis:
    return analyse_many([result], low_share)[result.pk]


def analyse_many(results: list[Result], low_share: Decimal | None = None,
                 history: list[Result] | None = None) -> dict[int, Analysis]:
    """Every given result analysed, by result id, in four queries whatever their number: the previous years'
    results (none when `history`, the subjects' results of every earlier year, is given), the provinces (for
    the map of each year), every comparison set with its scores, and the frameworks' nodes."""
    low_share = default_low_share() if low_share is None else low_share
    wanted = list({result.pk: result for result in results}.values())
    previous = _previous_results(wanted, history)
    batch = _ComparisonBatch([*wanted, *(p for p in previous.values() if p is not None)])
    analyses: dict[int, Analysis] = {}
    for result in wanted:
        earlier = previous[result.pk]
        analyses[result.pk] = _analysis(result, batch, earlier, low_share)
    return analyses


def _previous_results(results: list[Result], history: list[Result] | None) -> dict[int, Result | None]:
    """Each result's previous_result, read in one query (or none, from `history`)."""
    if history is None and results:
        subjects = Q()
        for result in results:
            subjects |= _same_subject(result) & Q(framework__index=result.framework.index, year__lt=result.year)
        history = list(Result.objects.filter(subjects).select_related("framework").order_by("-year"))
    candidates = sorted(history or [], key=lambda r: -r.year)  # stable: the query's order within a year
    return {result.pk: next((r for r in candidates if r.province_id == result.province_id
                             and r.unit_id == result.unit_id and r.framework.index == result.framework.index
                             and r.year < result.year), None)
            for result in results}


class _ComparisonBatch:
    """The comparison sets (as comparison_set reads them one by one) of many results, read in three queries:
    the provinces, every peer with its scores, and the nodes of every framework met."""

    def __init__(self, results: list[Result]) -> None:
        provincial = [r for r in results if r.unit_id is None]
        provinces = list(Province.objects.only("formed_on", "dissolved_on")) if provincial else []
        years = {r.year for r in provincial}
        self.on_map = {year: {p.pk for p in provinces if p.on_map_in(year)} for year in years}
        wanted = Q(pk__in=[r.pk for r in results])
        for index, year in {(r.framework.index, r.year) for r in provincial}:
            wanted |= Q(unit__isnull=True, framework__index=index, year=year)
        for r in results:
            if r.unit is not None:
                wanted |= Q(framework_id=r.framework_id, year=r.year, province_id=r.province_id,
                            unit__kind=r.unit.kind)
        rows = list(Result.objects.filter(wanted).values_list(
            "pk", "total", "framework_id", "framework__index", "year", "province_id", "unit_id", "unit__kind",
            "scores__node_id", "scores__value"))
        frameworks = {row[2] for row in rows} | {r.framework_id for r in results}
        nodes = list(Node.objects.filter(framework_id__in=frameworks).order_by("position"))
        code_of = {node.pk: node.code for node in nodes}
        self.nodes: dict[int, list[Node]] = defaultdict(list)
        top_codes: dict[int, set[str]] = defaultdict(set)
        for node in nodes:
            self.nodes[node.framework_id].append(node)
            if node.depth == 0:
                top_codes[node.framework_id].add(node.code)
        self.peers: dict[int, Peer] = {}
        self.keys: dict[int, tuple] = {}
        for pk, total, framework_id, index, year, province_id, unit_id, kind, node_id, value in rows:
            if pk not in self.peers:
                self.peers[pk] = Peer(pk, total, index in SUMMED_INDICES,
                                      top_codes=frozenset(top_codes[framework_id]))
                self.keys[pk] = (framework_id, index, year, province_id, unit_id, kind)
            if node_id is not None:
                self.peers[pk].scores[code_of[node_id]] = value

    def comparison_set(self, result: Result) -> ComparisonSet:
        if result.unit is not None:
            key = (result.framework_id, result.year, result.province_id, result.unit.kind)
            return ComparisonSet([self.peers[pk] for pk, (framework_id, _, year, province_id, unit_id, kind)
                                  in self.keys.items() if unit_id is not None
                                  and (framework_id, year, province_id, kind) == key], None)
        on_map = self.on_map[result.year]
        index = result.framework.index
        return ComparisonSet([self.peers[pk] for pk, (_, of_index, year, province_id, unit_id, _) in self.keys.items()
                              if unit_id is None and of_index == index and year == result.year
                              and province_id in on_map], len(on_map))


def _analysis(result: Result, batch: _ComparisonBatch, previous: Result | None, low_share: Decimal) -> Analysis:
    current = batch.comparison_set(result)
    # A result outside the comparison set (a former province entered after its dissolution) is read alone.
    me = batch.peers[result.pk]
    before = batch.comparison_set(previous) if previous else ComparisonSet([], None)
    prior = before.by_result().get(previous.pk) if previous else None
    # Ranks of two years compare only on the same map: 27/34 in 2025 is no climb from 29/63 in 2024.
    same_map = previous is not None and before.map_size == current.map_size
    grouped = result.framework.index in GROUPED_INDICES and not result.unit_id
    rows = _node_rows(batch.nodes[result.framework_id], me, prior, current, before, same_map, grouped, low_share)
    totals = current.totals()
    own_total = me.total
    rank_published = result.rank is not None
    group_published = result.group is not None
    previous_rank = None
    if same_map and previous is not None:
        previous_rank = previous.rank if previous.rank is not None else (
            rank_in(prior.total, before.totals()) if prior and before.ranks_computable else None)
    return Analysis(
        result=result, previous=previous, rows=rows,
        published_total=result.total,
        computed_total=me.computed_total,
        previous_total=prior.total if prior else None,
        rank=result.rank if rank_published else (rank_in(own_total, totals) if current.ranks_computable else None),
        rank_published=rank_published,
        rank_of=result.rank_of or current.map_size or len(totals) or None,
        previous_rank=previous_rank,
        group=result.group if group_published else (
            quartile_group(own_total, totals) if grouped and current.ranks_computable else None),
        group_published=group_published,
        peers_with_total=len(totals),
        low_share=low_share,
    )


def _node_rows(nodes: list[Node], me: Peer, prior: Peer | None, current: ComparisonSet, before: ComparisonSet,
               same_map: bool, grouped: bool, low_share: Decimal) -> list[NodeRow]:
    rows = []
    for node in nodes:
        score = me.scores.get(node.code)
        earlier = prior.scores.get(node.code) if prior else None
        values = current.values(node.code)
        earlier_values = before.values(node.code)
        comparable = current.computable(len(values))
        group = quartile_group(score, values) if grouped and comparable else None
        share = score / node.max_points if score is not None and node.max_points else None
        change = score - earlier if score is not None and earlier is not None else None
        flags = _flags(node, score, share, change, group, low_share) if score is not None else []
        rows.append(NodeRow(
            node=node, score=score, share=share, previous=earlier, change=change,
            rank=rank_in(score, values) if comparable else None,
            previous_rank=(rank_in(earlier, earlier_values)
                           if same_map and before.computable(len(earlier_values)) else None),
            group=group, median=statistics.median(values) if comparable else None, flags=flags,
        ))
    return rows


def _flags(node: Node, score: Decimal, share: Decimal | None, change: Decimal | None, group: int | None,
           low_share: Decimal) -> list[str]:
    """At the maximum or low (share of the maximum under low_share), fell since last year, lowest group."""
    flags: list[str] = []
    if node.max_points is not None and score >= node.max_points:
        flags.append(Flag.AT_MAX)
    elif share is not None and share < low_share:
        flags.append(Flag.LOW)
    if change is not None and change < 0:
        flags.append(Flag.FELL)
    if group == Group.LOWEST:
        flags.append(Flag.LOWEST_GROUP)
    return flags


@dataclass
class Trend:
    years: list[int]
    totals: list[Decimal | None]
    series: dict[str, list[Decimal | None]]  # top-level node code → score per year
    names: dict[str, str]


def trend(result: Result) -> Trend:
    """The subject's total and top-level scores over every year of the same index. Four queries."""
    history = Result.objects.filter(_same_subject(result), framework__index=result.framework.index)
    years = dict(history.values_list("pk", "year"))
    peers = sorted(_load_peers(history, None).peers, key=lambda peer: years[peer.result_id])
    names = dict(Node.objects.filter(depth=0, framework__results__in=history).values_list("code", "name_vi"))
    codes = sorted(names, key=_code_key)
    return Trend(
        years=[years[peer.result_id] for peer in peers], totals=[peer.total for peer in peers],
        series={code: [peer.scores.get(code) for peer in peers] for code in codes}, names=names,
    )


def _code_key(code: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in code.replace(" ", "").split("."))


@dataclass
class TableRow:
    result_id: int
    province_id: int
    name: str
    code: str
    total: Decimal | None
    total_published: bool
    rank: int | None
    group: int | None
    scores: dict[str, Decimal]


@dataclass
class YearTable:
    """Every province's result of one index and year, with totals, ranks and groups worked out once."""

    index: str
    year: int
    comparison: ComparisonSet
    rows: list[TableRow]
    top_codes: list[str]
    top_names: dict[str, str]

    def ranked(self) -> list[TableRow]:
        return sorted(self.rows, key=lambda r: (r.rank is None, r.rank or 0, r.name))

    def total_of(self, result_id: int) -> Decimal | None:
        return next((r.total for r in self.rows if r.result_id == result_id), None)

    def rank_of(self, result_id: int) -> int | None:
        return next((r.rank for r in self.rows if r.result_id == result_id), None)

    @property
    def map_size(self) -> int | None:
        return self.comparison.map_size

    missing: list[str] = field(default_factory=list)  # provinces on the map without a total: published gaps
    version: str = ""  # of the data it was read from, when cached (chiso.core.figures_cache): keys its fragments


def load_year(index: str, year: int) -> YearTable:
    return load_years(index, [year])[year]


def load_years(index: str, years: list[int]) -> dict[int, YearTable]:
    """Every province's result of `index` in each of `years`, ranked among the provinces on that year's
    map: five queries whatever the number of provinces and years."""
    results = Result.objects.provincial().filter(framework__index=index, year__in=years)
    everything = _load_peers(results, None)
    provinces = list(Province.objects.only("name", "formed_on", "dissolved_on"))
    grouped = index in GROUPED_INDICES
    rows_by_year: dict[int, list[tuple]] = defaultdict(list)
    for values in results.values_list("pk", "year", "province_id", "province__name", "province__code", "rank", "group"):
        rows_by_year[values[1]].append(values)
    peers = everything.by_result()
    names = dict(Node.objects.filter(depth=0, framework__results__in=results).values_list("code", "name_vi"))
    tables = {}
    for year in years:
        on_map = {p.pk: p.name for p in provinces if p.on_map_in(year)}
        in_year = [v for v in rows_by_year[year] if v[2] in on_map]
        comparison = ComparisonSet([peers[v[0]] for v in in_year], len(on_map))
        totals = comparison.totals()
        computable = comparison.ranks_computable  # once a year, not once a row: it sums every peer's scores
        rows = []
        for pk, _, province_id, name, code, rank, group in in_year:
            peer = peers[pk]
            total = peer.total
            rows.append(TableRow(
                result_id=pk, province_id=province_id, name=name, code=code, total=total,
                total_published=peer.published_total is not None,
                rank=rank if rank is not None else (rank_in(total, totals) if computable else None),
                group=group if group is not None else (
                    quartile_group(total, totals) if grouped and computable else None),
                scores=peer.scores,
            ))
        with_total = {row.province_id for row in rows if row.total is not None}
        missing = sorted(name for pk, name in on_map.items() if pk not in with_total)
        tables[year] = YearTable(index, year, comparison, rows, sorted(names, key=_code_key), names, missing)
    return tables
