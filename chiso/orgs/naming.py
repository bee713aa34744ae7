"""How a unit names itself at the head of its documents (Decree 30/2020/NĐ-CP, Phụ lục I): the issuing body
written in full ("ỦY BAN NHÂN DÂN PHƯỜNG MINH XUÂN", never "UBND …"), the governing body above a department
("UBND TỈNH TUYÊN QUANG" over "SỞ KHOA HỌC VÀ CÔNG NGHỆ"), and the symbol from the unit's abbreviation.
Used by plans (a derived plan's header) and by documents (every letterhead)."""

from __future__ import annotations

import unicodedata

from chiso.orgs.models import Unit, UnitKind

# Longer than this, letters taken from a short name are no longer an abbreviation ('Phòng TCBC&TCPCP').
_LONGEST_ABBREVIATION = 10
COMMITTEE_KINDS = (UnitKind.COMMUNE, UnitKind.WARD, UnitKind.DISTRICT, UnitKind.PROVINCE_COMMITTEE)


def _plain_capital(char: str) -> str:
    """'Ủ' → 'U', 'Đ' kept: symbols are written in capitals without tone marks but with Đ."""
    if char == "Đ":
        return char
    return unicodedata.normalize("NFD", char)[0]


def abbreviation(unit: Unit) -> str:
    """'Sở KH&CN' → 'SKHCN', 'Sở GD&ĐT' → 'SGDĐT', 'VP UBND tỉnh' → 'VPUBND': the capitals of the short name.
    A short name with fewer than two ('Công an tỉnh') or too many gives the initials of the full name."""
    capitals = "".join(_plain_capital(c) for c in unit.short_name or "" if c.isalpha() and c.isupper())
    if 2 <= len(capitals) <= _LONGEST_ABBREVIATION:
        return capitals
    words = [w for w in unit.name.replace("-", " ").split() if w[:1].isalpha()]
    return "".join(_plain_capital(w[0].upper()) for w in words)[:_LONGEST_ABBREVIATION]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def committee_name(unit: Unit) -> str:
    """A commune's or ward's People's Committee in full: 'Phường Minh Xuân' → 'Ủy ban nhân dân phường Minh
    Xuân'; a name already given as a committee ('UBND xã …') is written out too."""
    name = unit.name.strip()
    for short in ("UBND ", "Ủy ban nhân dân ", "Uỷ ban nhân dân "):
        if name.lower().startswith(short.lower()):
            name = name[len(short):]
            break
    return f"Ủy ban nhân dân {_lower_first(name)}"


def plan_letterhead(unit: Unit, governing_issuer: str) -> tuple[str, str, str]:
    """(governing body, issuing body, symbol) heading the unit's own plan, as written (printed in capitals);
    governing_issuer is the issuer of the province plan above it (a department's governing body)."""
    if unit.kind in COMMITTEE_KINDS:
        return "", committee_name(unit), "KH-UBND"
    parent = governing_issuer if unit.kind == UnitKind.DEPARTMENT else (
        unit.parent.name if unit.kind == UnitKind.OFFICE and unit.parent is not None else "")
    return parent, unit.name, f"KH-{abbreviation(unit)}"
