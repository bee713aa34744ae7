"""Resolving agency wordings in a plan ("Sở TN&MT; UBND cấp xã") to units and unit groups.

Used by the task form, the demo loader and the plan importers: one matcher, loaded once per
province, so resolving a hundred rows costs two queries."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chiso.core.text import clean_spaces, fold
from chiso.orgs.models import Province, Unit, UnitGroup

# Lists of agencies are separated by ';' or line breaks; a comma separates agencies only when
# what follows it starts like an agency name, because group names themselves contain commas
# ("Các sở, ban, ngành").
_HARD_SPLIT = re.compile(r"[;\n]+")
_AGENCY_START = re.compile(
    r",\s*(?=(?:Sở|Ban|Ủy ban|Uỷ ban|UBND|UB|Văn phòng|VP|Thanh tra|Công an|Bảo hiểm|BHXH|Tòa án|Toà án|"
    r"Viện|Báo|Đài|Trung tâm|Phòng|Cục|Kho bạc|Hội|Liên đoàn|Tỉnh đoàn|Đoàn|Điện lực|Viettel|VNPT|Bưu điện|"
    r"Các|các|Công ty|Chi nhánh|Thôn|Tổ)\b)"
)
_LEADING_NOISE = re.compile(r"^(?:[-–•+*]\s*|\d+[.)]\s+|và\s+|hoặc\s+)", re.IGNORECASE)
# A lead cell may add the role after the name: "Sở Nội vụ theo dõi, tổng hợp".
_ROLE_WORDS = re.compile(r"\s+(?:theo dõi|đôn đốc|kiểm tra|tổng hợp|hướng dẫn)\b.*$", re.IGNORECASE)
# "Sở Tài chính và các Sở, ban, ngành": split on "và các" only when the whole wording is unknown,
# since unit names contain "và" ("Sở Khoa học và Công nghệ").
_AND_THE = re.compile(r"\s+và\s+(?=các\b)", re.IGNORECASE)


def split_agencies(text: str) -> list[str]:
    parts: list[str] = []
    for chunk in _HARD_SPLIT.split(text or ""):
        for piece in _AGENCY_START.split(chunk):
            piece = _LEADING_NOISE.sub("", clean_spaces(piece)).strip(" .,;")
            if piece:
                parts.append(piece)
    return parts


@dataclass
class Resolution:
    units: list[Unit] = field(default_factory=list)
    groups: list[UnitGroup] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


# Wordings a plan uses for its issuer itself or for all of the issuer's own units, whatever the issuer's name:
# a department's plan says "Lãnh đạo Sở", "các phòng, đơn vị thuộc Sở"; a commune's "UBND xã", "các bộ phận".
_ISSUER_ITSELF = frozenset({
    "so", "lanh dao so", "ban giam doc so", "giam doc so", "ban giam doc", "lanh dao don vi", "thu truong don vi",
    "ubnd xa", "uy ban nhan dan xa", "chu tich ubnd xa", "lanh dao ubnd xa", "ubnd phuong", "chu tich ubnd phuong",
    "lanh dao ubnd phuong", "ubnd", "chu tich ubnd"})
_ISSUER_CHILDREN = re.compile(
    r"^cac (?:phong|don vi|bo phan|cong chuc)(?:\s*(?:chuyen mon|nghiep vu|,|va|don vi|truc thuoc|thuoc so|thuoc|"
    r"so|ubnd xa|xa|phuong|chuyen mon thuoc ubnd xa|lien quan))*$")
# What a relative name may add around the issuer's own unit: "Thanh tra (Sở)", "Văn phòng Sở", "Trung tâm … tỉnh".
_RELATIVE_NOISE = re.compile(r"[()]|\b(?:so|thuoc so|truc thuoc so|tinh|xa|phuong|ubnd xa)\b")


def relative_key(wording: str, issuer_words: list[str]) -> str:
    """A wording with the issuer's own name and the words that point back at it removed ("Văn phòng Sở Công
    Thương" and "Văn phòng Sở" → "van phong"), so a unit of the issuer meets its relative name."""
    key = fold(wording)
    for words in sorted(issuer_words, key=len, reverse=True):
        if words and key.endswith(f" {words}"):
            key = key[: -len(words) - 1]
            break
    return _SPACES_RE.sub(" ", _RELATIVE_NOISE.sub(" ", key)).strip(" ,.-")


_SPACES_RE = re.compile(r"\s+")


class AgencyMatcher:
    """Matches wordings against a province's units and groups, diacritics- and case-blind. Given the plan's
    issuer (a department, a commune), names relative to it ("Văn phòng Sở", "Thanh tra", "Lãnh đạo Sở",
    "các phòng, đơn vị thuộc Sở", "Bộ phận một cửa") are read as the issuer's own units first."""

    def __init__(self, province: Province | int, issuer: Unit | None = None):
        self.units = list(Unit.objects.filter(province=province, is_active=True))
        self.groups = list(UnitGroup.objects.filter(province=province))
        self.issuer = issuer
        self._children = [u for u in self.units if issuer is not None and u.parent_id == issuer.pk]
        issuer_words = [fold(w) for w in issuer.wordings()] if issuer is not None else []
        self._relative_index: dict[str, Unit] = {}
        for unit in self._children:
            for wording in unit.wordings():
                self._relative_index.setdefault(relative_key(wording, issuer_words), unit)
        self._issuer_words = issuer_words
        self._unit_index: dict[str, Unit] = {}
        for unit in self.units:
            for wording in unit.wordings():
                self._unit_index.setdefault(fold(wording), unit)
        self._group_index: dict[str, UnitGroup] = {}
        for group in self.groups:
            for wording in group.wordings():
                self._group_index.setdefault(fold(wording), group)

    def relative(self, wording: str) -> list[Unit]:
        """The issuer's own unit(s) a relative name means: [] when there is no issuer or it names none."""
        if self.issuer is None:
            return []
        key = fold(wording)
        if key in _ISSUER_ITSELF or key in self._issuer_words:
            return [self.issuer]
        if _ISSUER_CHILDREN.match(key):
            return list(self._children) or [self.issuer]
        relative = relative_key(wording, self._issuer_words)
        if relative and relative in self._relative_index:
            return [self._relative_index[relative]]
        return []

    def match_one(self, wording: str) -> Unit | UnitGroup | None:
        key = fold(wording)
        # "Thanh tra tỉnh" is the province's inspectorate even in a department's plan; "Thanh tra" is its own.
        own = [] if key.endswith(" tinh") and self._match_global(key) else self.relative(wording)
        if len(own) == 1:
            return own[0]
        return self._match_global(key)

    def _match_global(self, key: str) -> Unit | UnitGroup | None:
        if key in self._group_index:
            return self._group_index[key]
        if key in self._unit_index:
            return self._unit_index[key]
        # Plans add or drop a trailing "tỉnh" ("Sở Nội vụ tỉnh", "Công an tỉnh").
        for variant in (key.removesuffix(" tinh"), f"{key} tinh"):
            if variant in self._unit_index:
                return self._unit_index[variant]
            if variant in self._group_index:
                return self._group_index[variant]
        return None

    def _match_or_split(self, wording: str) -> list[tuple[str, Unit | UnitGroup | None]]:
        own = self.relative(wording)
        if len(own) > 1:
            return [(wording, unit) for unit in own]
        match = self.match_one(wording)
        if match is not None:
            return [(wording, match)]
        trimmed = _ROLE_WORDS.sub("", wording).strip(" ,;")
        if trimmed != wording and (match := self.match_one(trimmed)) is not None:
            return [(wording, match)]
        parts = _AND_THE.split(trimmed)
        if len(parts) > 1:
            return [(part, self.match_one(part)) for part in parts]
        return [(wording, None)]

    def resolve(self, text: str) -> Resolution:
        result = Resolution()
        pairs = [pair for wording in split_agencies(text) for pair in self._match_or_split(wording)]
        for wording, match in pairs:
            if isinstance(match, Unit):
                if match not in result.units:
                    result.units.append(match)
            elif isinstance(match, UnitGroup):
                if match not in result.groups:
                    result.groups.append(match)
            else:
                result.unknown.append(wording)
        return result
