"""Who issued the plan, read from every place a plan names it: the letterhead (the lower line of "UBND TỈNH X /
SỞ CÔNG THƯƠNG"), the appendix captions ("(Kèm theo Kế hoạch số …/KH-SCT ngày … của Sở Công Thương tỉnh X)"),
the signature block ("TM. ỦY BAN NHÂN DÂN XÃ Y") and the file's metadata (author, title). Each wording that
names a unit of the province is a vote; the unit with most votes is proposed, and the preview lets the user
confirm or choose another. The issuer is what names relative to it ("Văn phòng Sở", "Lãnh đạo Sở", "Bộ phận
một cửa") are resolved against (orgs.matching.AgencyMatcher)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from chiso.core.text import clean_spaces, fold
from chiso.orgs.matching import AgencyMatcher
from chiso.orgs.models import Unit, UnitGroup, UnitKind

# "của Sở Công Thương tỉnh X)" / OCR'd "ciia So Cong Thuong" — what follows "của" in a caption.
_CAPTION = re.compile(r"k[eèé]m\s+theo.{0,120}?\bc(?:ủ|u|ù|ii|ú)a\s+(.+?)\)?\s*$", re.IGNORECASE)
_SIGNED_FOR = re.compile(r"^(?:tm|t/m|kt|q|tl)\.?\s*(.+)$")
_LETTERHEAD_START = ("uy ban", "ubnd", "so ", "ban ", "van phong", "thanh tra", "xa ", "phuong ", "hoi dong")
# "Sở Công Thương tỉnh Tuyên Quang" → "Sở Công Thương": the province is already known.
_PLACE_SUFFIX = re.compile(r"\s+(?:tinh|thanh pho|huyen)\s+[a-z ]+$")
RELATIVE_KINDS = {UnitKind.DEPARTMENT, UnitKind.COMMUNE, UnitKind.WARD, UnitKind.DISTRICT}


@dataclass
class Evidence:
    source: str  # letterhead, caption, signature, metadata
    text: str
    unit_id: int | None

    def as_dict(self) -> dict[str, object]:
        return {"source": self.source, "text": self.text, "unit_id": self.unit_id}


def issuer_wordings(lines: list[str], metadata: list[str]) -> list[tuple[str, str]]:
    """(source, wording) for every place the document names its issuer, in document order."""
    found: list[tuple[str, str]] = []
    top = [clean_spaces(line.replace("**", "")) for line in lines[:10]]
    letterhead = [line for line in top if line.isupper() and fold(line).startswith(_LETTERHEAD_START)]
    if letterhead:
        found.append(("letterhead", letterhead[-1]))  # the lower line is the issuer, the upper its superior
    for line in lines:
        match = _CAPTION.search(clean_spaces(line))
        if match and len(match.group(1)) < 120:
            found.append(("caption", match.group(1).strip(" .)")))
    for line in lines:
        match = _SIGNED_FOR.match(fold(line))
        if match and fold(line).startswith(("tm", "t/m")):
            found.append(("signature", clean_spaces(line).split(None, 1)[1]))
    found.extend(("metadata", text) for text in metadata if text.strip())
    return found


def resolve_wording(matcher: AgencyMatcher, wording: str) -> Unit | None:
    """A unit of the province the wording names, its place ("tỉnh X") and case forgiven."""
    folded = fold(wording)
    for candidate in dict.fromkeys([folded, _PLACE_SUFFIX.sub("", folded), folded.removeprefix("tm. ")]):
        found = matcher.match_one(candidate)
        if isinstance(found, Unit):
            return found
        if isinstance(found, UnitGroup):
            return None
    return None


def find_issuer(lines: list[str], metadata: list[str], matcher: AgencyMatcher) -> tuple[Unit | None, list[Evidence]]:
    evidence = []
    for source, wording in issuer_wordings(lines, metadata):
        unit = resolve_wording(matcher, wording)
        evidence.append(Evidence(source, wording, unit.pk if unit else None))
    votes = Counter(item.unit_id for item in evidence if item.unit_id is not None)
    if not votes:
        return None, evidence
    # Captions and the letterhead name the issuer; metadata may name the typist's office: they break ties only.
    weight: Counter[int] = Counter()
    for item in evidence:
        if item.unit_id is not None:
            weight[item.unit_id] += 1 if item.source == "metadata" else 2
    best = weight.most_common(1)[0][0]
    return next(u for u in matcher.units if u.pk == best), evidence


def relative_context(unit: Unit | None) -> Unit | None:
    """The issuer names are read relative to: a department, a commune or ward (not the province itself, whose
    "các đơn vị" means the province's units)."""
    return unit if unit is not None and unit.kind in RELATIVE_KINDS else None
