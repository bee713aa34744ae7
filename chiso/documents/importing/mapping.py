"""Mapping imported rows to the province's frameworks, units and dates, with a confidence for each.

Nodes are found by code ("1.1", "TC 3.2", "TCTP 3.4.1") and by wording, compared without diacritics,
spacing or line breaks and with the framework's aliases, so text whose diacritics OCR lost still meets its
node; where code and wording disagree, a clearly better wording wins (plans renumber, frameworks change).
Agencies go through orgs.matching.AgencyMatcher, then an abbreviation-aware comparison ("Phòng Tài nguyên &
MT", "Phòng Tài chính – KH") for what it does not know. Schedules through plans.schedules.parse_schedule."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from chiso.core.text import fold
from chiso.documents.importing.raw import RawRow
from chiso.documents.importing.tables import code_of
from chiso.frameworks.models import Framework, Node
from chiso.orgs.matching import AgencyMatcher, split_agencies
from chiso.orgs.models import Province, Unit, UnitGroup
from chiso.plans.schedules import parse_schedule

_WORD = re.compile(r"[a-z0-9]+")
_INDEX_WORDS = {"PAR_INDEX": ("par index", "cai cach hanh chinh", "cchc"), "PAPI": ("papi",),
                "SIPAS": ("sipas", "hai long"), "PCI": ("pci",), "DTI": ("dti", "chuyen doi so")}


def similarity(a: str, b: str) -> float:
    a, b = fold(a), fold(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= 8 and shorter in longer:
        return 0.9
    ratio = SequenceMatcher(None, a, b).ratio()
    words_a, words_b = set(_WORD.findall(a)), set(_WORD.findall(b))
    overlap = len(words_a & words_b) / max(len(words_a), len(words_b), 1)
    return max(ratio, overlap)


def index_of(text: str) -> str | None:
    folded = fold(text)
    for index, words in _INDEX_WORDS.items():
        if any(word in folded for word in words):
            return index
    return None


@dataclass
class NodeMatch:
    node: Node | None
    confidence: float
    how: str


class NodeMatcher:
    def __init__(self, frameworks: Iterable[Framework]):
        self.frameworks = list(frameworks)
        nodes = list(Node.objects.filter(framework__in=self.frameworks).select_related("framework").order_by("position"))
        self.by_index: dict[str | None, list[Node]] = {None: nodes}
        for node in nodes:
            self.by_index.setdefault(node.framework.index, []).append(node)
        self.by_id = {node.pk: node for node in nodes}

    def _nodes(self, index: str | None) -> list[Node]:
        return self.by_index.get(index) or self.by_index[None]

    @staticmethod
    def _names(node: Node) -> list[str]:
        return [node.name_vi, *(node.aliases or [])]

    def _by_code(self, nodes: list[Node], code: str) -> Node | None:
        return next((n for n in nodes if n.code == code), None) if code else None

    def _best_by_name(self, nodes: list[Node], text: str) -> tuple[Node | None, float]:
        best, score = None, 0.0
        for node in nodes:
            value = max(similarity(text, name) for name in self._names(node))
            if value > score:
                best, score = node, value
        return best, score

    def match(self, row: RawRow) -> NodeMatch:
        nodes = self._nodes(index_of(row.appendix) or index_of(row.group_text))
        # With a node column the number is the node's code; without one it numbers the tasks.
        if row.has_node_column and not row.node_text.strip() and row.group_text:
            # The node printed as a group row and the tasks under it with the node cell blank (chiso's own export
            # does so): the number counts the tasks within the group ("1.1, 1.2" under "1 Tham gia…").
            attempts = [(code_of(row.group_number), row.group_text), (code_of(row.number), "")]
        elif row.has_node_column:
            attempts = [(code_of(row.number) or code_of(row.node_text), row.node_text),
                        (code_of(row.group_number), row.group_text)]
        else:
            attempts = [(code_of(row.group_number), row.group_text)]
        # A label whose printed code names another node and whose wording names none clearly ("5.1 Dịch vụ hành
        # chính công" under "5 Thủ tục hành chính công") belongs to the group it is printed under, if that is known.
        # Only where the numbering agrees (5.1 under 5): a group carried over a page break may be the wrong one.
        first_code, group_code = attempts[0][0], code_of(row.group_number)
        numbering_agrees = not first_code or bool(group_code) and first_code.startswith(f"{group_code}.")
        for strict in (True, False):
            for position, (code, text) in enumerate(attempts):
                if strict and position and not numbering_agrees:
                    break
                found = self._decide(nodes, code, text, strict=strict)
                if found.node is not None:
                    if position and strict:
                        found = NodeMatch(found.node, min(found.confidence, 0.6), "group")
                    return found
        return NodeMatch(None, 0.0, "none")

    def _decide(self, nodes: list[Node], code: str, text: str, *, strict: bool = False) -> NodeMatch:
        by_code = self._by_code(nodes, code)
        text = re.sub(r"^\s*[\d.]+\s*", "", text or "")
        if by_code and not text:
            return NodeMatch(by_code, 0.85, "code")
        best, score = self._best_by_name(nodes, text) if text else (None, 0.0)
        if by_code:
            agreement = max(similarity(text, name) for name in self._names(by_code))
            if agreement >= 0.6:
                return NodeMatch(by_code, 0.95, "code+name")
            if best is not None and score >= (0.85 if strict else 0.75) and score > agreement + 0.15:
                return NodeMatch(best, round(0.5 + 0.3 * score, 2), "name")
            return NodeMatch(None, 0.0, "none") if strict else NodeMatch(by_code, 0.6, "code")
        if best is not None and score >= 0.55:
            return NodeMatch(best, round(0.4 + 0.5 * score, 2), "name")
        return NodeMatch(None, 0.0, "none")


_ABBREVIATION = re.compile(r"^[bcdghklmnpqrstvx]{2,5}$")
_SKIPPABLE = {"va", "cac", "tinh", "huyen", "thi", "xa"}


def _tokens(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _consumes(short: list[str], full: list[str]) -> bool:
    """Does the wording `short` spell `full`, word by word or by initials ("tn va mt" ~ "tai nguyen va moi truong")?"""
    def walk(i: int, j: int) -> bool:
        if i == len(short):
            return all(word in _SKIPPABLE for word in full[j:])
        if j >= len(full):
            return False
        word = short[i]
        if word == full[j] and walk(i + 1, j + 1):
            return True
        if _ABBREVIATION.match(word):
            span = len(word)
            if "".join(w[0] for w in full[j:j + span]) == word and walk(i + 1, j + span):
                return True
            letters = [w for w in full[j:j + span + 1] if w != "va"]
            if len(letters) == span and "".join(w[0] for w in letters) == word and walk(i + 1, j + span + 1):
                return True
        return full[j] in _SKIPPABLE and walk(i, j + 1)
    return walk(0, 0)


class Agencies:
    """AgencyMatcher plus abbreviations, for one province, loaded once."""

    def __init__(self, province: Province | int):
        self.matcher = AgencyMatcher(province)
        self.units = {unit.pk: unit for unit in self.matcher.units}
        self.groups = {group.pk: group for group in self.matcher.groups}
        self._wordings: list[tuple[Unit | UnitGroup, list[str]]] = [
            (unit, _tokens(w)) for unit in self.matcher.units for w in unit.wordings()]
        self._wordings += [(group, _tokens(w)) for group in self.matcher.groups for w in group.wordings()]

    def _fuzzy(self, wording: str) -> Unit | UnitGroup | None:
        short = _tokens(wording)
        if not short:
            return None
        hits = {id(target): target for target, full in self._wordings if full and _consumes(short, full)}
        if len(hits) == 1:
            return next(iter(hits.values()))
        return None if hits else self._misread(short)

    def _misread(self, short: list[str]) -> Unit | UnitGroup | None:
        """A wording OCR garbled ("Sớ Nôi vu", "S0 Tai chinh"): the one unit or group whose wording it is closest
        to, if it is close and clearly closer than any other."""
        text = " ".join(short)
        scores: dict[int, tuple[float, Unit | UnitGroup]] = {}
        for target, full in self._wordings:
            if full and abs(len(full) - len(short)) <= 1:
                value = SequenceMatcher(None, text, " ".join(full)).ratio()
                if value > scores.get(id(target), (0.0, target))[0]:
                    scores[id(target)] = (value, target)
        ranked = sorted(scores.values(), key=lambda pair: -pair[0])
        if ranked and ranked[0][0] >= 0.85 and (len(ranked) == 1 or ranked[1][0] < ranked[0][0] - 0.05):
            return ranked[0][1]
        return None

    def resolve(self, text: str) -> tuple[list[Unit], list[UnitGroup], list[str]]:
        resolution = self.matcher.resolve(text)
        units, groups, unknown = list(resolution.units), list(resolution.groups), []
        for wording in resolution.unknown:
            found = self._fuzzy(wording)
            pieces = [found] if found is not None else [self._fuzzy(piece) for piece in _folded_pieces(wording)]
            if not pieces or None in pieces:
                unknown.append(wording)
                continue
            for piece in pieces:
                if isinstance(piece, Unit) and piece not in units:
                    units.append(piece)
                elif isinstance(piece, UnitGroup) and piece not in groups:
                    groups.append(piece)
        return units, groups, unknown


# orgs.matching trims a role ("Sở Nội vụ theo dõi, tổng hợp") and splits "Sở Tài chính và các sở, ban, ngành" by
# their marked words; text whose marks were lost needs the same on its folded form.
_FOLDED_ROLE = re.compile(r"\s+(?:theo doi|don doc|kiem tra|tong hop|huong dan)\b.*$")
_FOLDED_AND_THE = re.compile(r"\s+va\s+(?=cac\b)")


def _folded_pieces(wording: str) -> list[str]:
    folded = _FOLDED_ROLE.sub("", fold(wording)).strip(" ,;")
    pieces = [piece for piece in _FOLDED_AND_THE.split(folded) if piece]
    return [] if pieces == [fold(wording)] else pieces


def agency_confidence(text: str, units: list, groups: list, unknown: list[str]) -> float:
    if not text.strip():
        return 1.0
    if not units and not groups:
        return 0.0
    return 1.0 if not unknown else round(0.5 * (len(units) + len(groups)) / (len(units) + len(groups) + len(unknown)) + 0.25, 2)


def map_row(row: RawRow, number: int, nodes: NodeMatcher, agencies: Agencies, year: int | None) -> dict[str, Any]:
    node = nodes.match(row)
    lead_text = row.lead_text or row.lead_section
    coordinating_text = row.coordinating_text or row.doer_text
    lead_units, lead_groups, lead_unknown = agencies.resolve(lead_text)
    co_units, co_groups, co_unknown = agencies.resolve(coordinating_text)
    schedule = parse_schedule(row.schedule_text, year)
    if schedule.kind == "unspecified" and row.schedule_text.strip():
        schedule = parse_schedule(repair_schedule_words(row.schedule_text), year)
    schedule_confidence = 1.0 if not row.schedule_text or schedule.kind not in ("unspecified", "event") else 0.7
    lead_confidence = agency_confidence(lead_text, lead_units, lead_groups, lead_unknown)
    if not lead_text.strip():
        lead_confidence = 0.5
    return {
        "id": number, "source": row.source, "number": row.number, "appendix": row.appendix,
        "group": " ".join(part for part in (row.group_number, row.group_text) if part),
        "node_text": row.node_text, "content": row.content, "target": row.target,
        "lead_text": lead_text, "monitoring_text": row.monitoring_text, "coordinating_text": coordinating_text,
        "schedule_text": row.schedule_text, "outputs": row.outputs, "notes": row.notes,
        "node_ids": [node.node.pk] if node.node else [], "node_how": node.how,
        "lead_unit_ids": [u.pk for u in lead_units], "lead_group_ids": [g.pk for g in lead_groups],
        "lead_unknown": lead_unknown,
        "coordinating_unit_ids": [u.pk for u in co_units], "coordinating_group_ids": [g.pk for g in co_groups],
        "coordinating_unknown": co_unknown,
        "schedule": {"kind": str(schedule.kind), "start": schedule.start.isoformat() if schedule.start else None,
                     "due": schedule.due.isoformat() if schedule.due else None},
        "confidence": {"node": node.confidence, "lead": lead_confidence, "schedule": schedule_confidence,
                       "row": round(min(node.confidence, lead_confidence, schedule_confidence), 2)},
    }


# The words schedules are written in: a word OCR misread by one letter ("thưòng xnyên") is read as the one it
# is one letter away from, so "Thường xuyên" on a scan still parses.
_SCHEDULE_WORDS = frozenset({
    "thuong", "xuyen", "lien", "tuc", "hang", "ngay", "nam", "quy", "thang", "truoc", "trong", "sau", "nhiem", "ky",
    "bau", "cu", "theo", "ke", "hoach", "khi", "co", "yeu", "cau", "lo", "trinh", "chi", "dao", "dinh", "chuong",
    "dot", "xuat", "moi", "bao", "cao", "cuoi", "dau", "tu", "den", "va", "ii", "iii", "iv"})
_LOOK_ALIKE_DIGITS = str.maketrans("015", "ols")


def _one_edit_apart(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    shorter, longer = sorted((a, b), key=len)
    return any(longer[:i] + longer[i + 1:] == shorter for i in range(len(longer)))


def _repair_word(match: re.Match[str]) -> str:
    word = match.group(0)
    if word.isdigit():
        return word
    word = word.translate(_LOOK_ALIKE_DIGITS)
    if set(word) <= {"i", "l", "v"}:  # a quarter's Roman numeral, its I read as l ("Quý lII")
        return word.replace("l", "i")
    if word in _SCHEDULE_WORDS:
        return word
    near = [known for known in _SCHEDULE_WORDS if _one_edit_apart(word, known)]
    return near[0] if len(near) == 1 else word


def repair_schedule_words(text: str) -> str:
    return _WORD.sub(_repair_word, fold(text))


def split_wordings(text: str) -> list[str]:
    return split_agencies(text)
