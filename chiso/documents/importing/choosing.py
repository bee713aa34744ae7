"""Choosing the framework of each appendix by evidence: every candidate framework (built-in, and the province's
own — its unit index once entered) is scored by how many of the appendix's rows its node codes and wordings
explain; the best is pre-selected when it explains enough of them, never one that explains few. An appendix no
candidate explains (a department's "TC 1.1" criteria before the province's unit index exists) keeps its rows
unmapped, with their printed code and wording, for the user to map."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from chiso.core.text import fold
from chiso.documents.importing.mapping import NodeMatch, NodeMatcher, index_of, similarity
from chiso.documents.importing.raw import RawPlan, RawRow
from chiso.frameworks.models import Framework
from chiso.orgs.models import Province

# A framework is pre-selected for an appendix only if it explains at least this share of the appendix's rows.
ENOUGH = 0.3
# A row counts as explained by a match at least this confident (a code alone, or a clear wording).
EXPLAINED = 0.6


@dataclass
class AppendixChoice:
    appendix: str
    rows: int
    positions: list[int] = field(default_factory=list)  # which of the plan's rows (0-based) the appendix holds
    scores: list[tuple[Framework, int]] = field(default_factory=list)
    chosen: Framework | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"appendix": self.appendix, "rows": self.rows, "chosen": self.chosen.pk if self.chosen else None,
                "scores": [{"id": f.pk, "name": f.name_vi, "explained": n} for f, n in self.scores]}


def candidates(province: Province) -> list[Framework]:
    return list(Framework.objects.filter(Q(province__isnull=True) | Q(province=province))
                .order_by("index", "-valid_from", "pk"))


def _row_key(row: RawRow) -> tuple[str, ...]:
    """Rows that print the same node print the same key: each is scored once."""
    return (row.number if row.has_node_column else "", row.node_text, row.group_number, row.group_text,
            row.appendix, str(row.has_node_column))


def appendices(rows: list[RawRow]) -> list[tuple[str, list[int]]]:
    """The plan's rows in appendices: a new one starts where a row's appendix title names one ("PHỤ LỤC 02 …")
    other than the current; the text above a table continued on the next page (a PDF's page heading) does not."""
    found: list[tuple[str, list[int]]] = []
    for position, row in enumerate(rows):
        names_one = "phu luc" in fold(row.appendix) or row.appendix in ("Nội dung kế hoạch", "Tổ chức thực hiện")
        if not found or names_one and row.appendix != found[-1][0]:
            found.append((row.appendix, []))
        found[-1][1].append(position)
    return found


# "TC 1.1", "TCTP 4.2": criteria of a province's own unit index (its departments' and communes' scores), which a
# built-in framework (the national PAR INDEX of provinces or ministries) only resembles.
_UNIT_INDEX_CODE = re.compile(r"^(?:tctp|tc)\s*\d")


def _own_criterion(row: RawRow) -> bool:
    return bool(_UNIT_INDEX_CODE.match(fold(row.node_text or row.number)))


def _printed_wording(row: RawRow) -> str:
    """The node's name as the row prints it, without its code ("5.2 Thủ tục cấp giấy phép xây dựng")."""
    return re.sub(r"^\s*[\d.]+\s*", "", row.node_text or row.group_text or "")


@dataclass(frozen=True)
class Explanation:
    """How well a framework explains an appendix: how many rows, then how closely its nodes' names read as the
    wording the rows print — two editions of an index (PAPI 2020 and 2021) explain the same rows, their
    differing names tell which the plan was written on."""
    rows: int
    closeness: float


def _closeness(found: NodeMatch, row: RawRow) -> float | None:
    """None if the match explains nothing (no node, unsure, or a bare number: plans number their rows 1, 2, 3…,
    and so do small frameworks); else how closely the node's names read as the row's printed wording."""
    if found.node is None or found.confidence < EXPLAINED or found.how == "code" and (row.node_text or row.group_text):
        return None
    wording = _printed_wording(row)
    return max((similarity(wording, name) for name in [found.node.name_vi, *found.node.aliases]), default=0.0)


def explanation(framework: Framework, rows: list[RawRow], matcher: NodeMatcher | None = None) -> Explanation:
    matcher = matcher or NodeMatcher([framework])
    if framework.province_id is None:
        rows = [row for row in rows if not _own_criterion(row)]
    verdicts: dict[tuple[str, ...], float | None] = {}  # per key: the closeness of an explained row, else None
    count, closeness = 0, 0.0
    for row in rows:
        key = _row_key(row)
        if key not in verdicts:
            verdicts[key] = _closeness(matcher.match(row), row)
        if verdicts[key] is not None:
            count += 1
            closeness += verdicts[key] or 0.0
    return Explanation(count, round(closeness, 3))


def explained_rows(framework: Framework, rows: list[RawRow], matcher: NodeMatcher | None = None) -> int:
    return explanation(framework, rows, matcher).rows


def _preference(framework: Framework, mentioned: set[str], year: int | None) -> tuple[int, int, int]:
    """Between frameworks explaining as many rows as closely: the index the document names, then the latest in force."""
    in_force = year is None or framework.valid_from is None or framework.valid_from <= year
    return (framework.index in mentioned, in_force, framework.valid_from or 0)


def choose(raw: RawPlan, allowed: Iterable[Framework]) -> list[AppendixChoice]:
    allowed = list(allowed)
    matchers = {framework.pk: NodeMatcher([framework]) for framework in allowed}
    year = raw.header.get("year")
    choices = []
    for appendix, positions in appendices(raw.rows):
        rows = [raw.rows[position] for position in positions]
        mentioned = {index for index in (index_of(appendix), index_of(raw.header.get("title", ""))) if index}
        explained = {framework.pk: explanation(framework, rows, matchers[framework.pk]) for framework in allowed}
        scores = [(framework, explained[framework.pk].rows) for framework in allowed]
        scores.sort(key=lambda pair: (pair[1], explained[pair[0].pk].closeness, *_preference(pair[0], mentioned, year)),
                    reverse=True)
        choice = AppendixChoice(appendix, len(rows), positions, [pair for pair in scores if pair[1]] or scores[:3])
        if scores and scores[0][1] >= max(1, ENOUGH * len(rows)):
            choice.chosen = scores[0][0]
        choices.append(choice)
    return choices


def chosen_frameworks(choices: list[AppendixChoice]) -> list[Framework]:
    return list({choice.chosen.pk: choice.chosen for choice in choices if choice.chosen}.values())
