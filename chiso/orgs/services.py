"""Writes on organisations: importing a unit list (CSV/XLSX) and seeding the group names plans use.

Import follows parse → validate every row → save all in one transaction: a file with one bad row
changes nothing, and every error names its row and column."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from chiso.core.tabular import ImportRejected, header_map, read_table
from chiso.core.text import fold
from chiso.orgs.models import GroupScope, Province, Unit, UnitGroup, UnitKind

COLUMNS = {
    "code": ("code", "ma", "ma don vi"),
    "name": ("name", "ten", "ten don vi", "ten day du"),
    "short_name": ("short_name", "ten viet tat", "viet tat"),
    "kind": ("kind", "loai", "loai don vi"),
    "parent_code": ("parent_code", "ma don vi cap tren", "don vi cap tren", "ma cap tren"),
    "aliases": ("aliases", "ten goi khac", "ten khac"),
    "email": ("email", "thu dien tu", "e-mail"),
}
REQUIRED = ("code", "name", "kind")
_KIND_WORDS = {fold(str(label)): value for value, label in UnitKind.choices} | {
    fold(value): value for value in UnitKind.values
} | {"so": "department", "ban": "department", "nganh": "department", "xa": "commune", "phuong": "ward",
     "phong": "office", "ubnd tinh": "province_committee", "ngoai": "outside"}
MAX_ROWS = 5000
STANDARD_GROUPS_FILE = Path(__file__).resolve().parent / "data" / "groups.yaml"


@dataclass
class ImportOutcome:
    created: int = 0
    updated: int = 0


def parse_unit_rows(rows: list[list[Any]], known_codes: set[str]) -> list[dict[str, Any]]:
    """Validate every row; raise ImportRejected listing all problems, by row and column. known_codes are
    the province's existing units, which a parent_code may also name. Rows come back parents first."""
    rows = [r for r in rows if any(str(c or "").strip() for c in r)]
    if not rows:
        raise ImportRejected([_("Tệp không có dữ liệu.")])
    header = header_map(rows[0], COLUMNS)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportRejected([_("Thiếu cột bắt buộc: %(cols)s. Dòng đầu phải là tên cột "
                                "(code, name, short_name, kind, parent_code, aliases, email).")
                              % {"cols": ", ".join(missing)}])
    if len(rows) - 1 > MAX_ROWS:
        raise ImportRejected([_("Tệp có quá nhiều dòng (tối đa %(n)s).") % {"n": MAX_ROWS}])
    errors: list[str] = []
    parsed: list[dict[str, Any]] = []
    seen_codes: dict[str, int] = {}
    for line_no, row in enumerate(rows[1:], start=2):
        def cell(column: str, row: list[Any] = row) -> str:
            index = header.get(column)
            return str(row[index]).strip() if index is not None and index < len(row) and row[index] is not None else ""

        code, name, kind_text = cell("code"), cell("name"), cell("kind")
        if not code:
            errors.append(_("Dòng %(line)s, cột code: thiếu mã đơn vị.") % {"line": line_no})
        elif code in seen_codes:
            errors.append(_("Dòng %(line)s, cột code: mã “%(code)s” trùng với dòng %(other)s.")
                          % {"line": line_no, "code": code, "other": seen_codes[code]})
        else:
            seen_codes[code] = line_no
        if not name:
            errors.append(_("Dòng %(line)s, cột name: thiếu tên đơn vị.") % {"line": line_no})
        kind = _KIND_WORDS.get(fold(kind_text))
        if not kind:
            errors.append(_("Dòng %(line)s, cột kind: loại “%(kind)s” không hợp lệ (dùng một trong: %(valid)s).")
                          % {"line": line_no, "kind": kind_text, "valid": ", ".join(UnitKind.values)})
        email = cell("email")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(_("Dòng %(line)s, cột email: “%(email)s” không phải địa chỉ thư hợp lệ.")
                              % {"line": line_no, "email": email})
        parsed.append({
            "line": line_no, "code": code, "name": name, "short_name": cell("short_name"), "kind": kind,
            "parent_code": cell("parent_code"),
            "aliases": [a.strip() for a in cell("aliases").split("|") if a.strip()], "email": email,
        })
    ordered = _parents_first(parsed, known_codes, errors)
    if errors:
        raise ImportRejected(errors)
    return ordered


def _parents_first(parsed: list[dict[str, Any]], known_codes: set[str], errors: list[str]) -> list[dict[str, Any]]:
    """Order rows so that a unit is saved after the parent the same file gives it (an office may be listed
    before its department); report parents found nowhere and parent loops."""
    by_code = {row["code"]: row for row in parsed if row["code"]}
    depth: dict[str, int] = {}

    def depth_of(row: dict[str, Any], trail: tuple[str, ...] = ()) -> int:
        code, parent = row["code"], row["parent_code"]
        if code in depth:
            return depth[code]
        if not parent or parent not in by_code:
            depth[code] = 0
        elif parent in trail:
            errors.append(_("Dòng %(line)s, cột parent_code: đơn vị cấp trên tạo thành vòng lặp.") % {"line": row["line"]})
            depth[code] = 0
        else:
            depth[code] = depth_of(by_code[parent], (*trail, code)) + 1
        return depth[code]

    for row in parsed:
        parent = row["parent_code"]
        if parent and parent not in by_code and parent not in known_codes:
            errors.append(_("Dòng %(line)s, cột parent_code: không có đơn vị mã “%(code)s”.")
                          % {"line": row["line"], "code": parent})
        depth_of(row)
    return sorted(parsed, key=lambda row: depth.get(row["code"], 0))


@transaction.atomic
def import_units(province: Province, upload: IO[bytes], filename: str) -> ImportOutcome:
    existing = {u.code: u for u in Unit.objects.filter(province=province)}
    parsed = parse_unit_rows(
        read_table(upload, filename, max_bytes=settings.CHISO_UNIT_IMPORT_MAX_BYTES, max_rows=MAX_ROWS), set(existing))
    outcome = ImportOutcome()
    ensure_standard_groups(province)
    units: dict[str, Unit] = dict(existing)
    for row in parsed:  # parents first, so each unit is written once, with its parent
        unit = existing.get(row["code"]) or Unit(province=province, code=row["code"])
        is_new = unit.pk is None
        unit.name, unit.short_name, unit.kind = row["name"], row["short_name"], row["kind"]
        unit.aliases, unit.email = row["aliases"], row["email"]
        unit.parent = units[row["parent_code"]] if row["parent_code"] else None
        unit.save()
        units[row["code"]] = unit
        if is_new:
            outcome.created += 1
        else:
            outcome.updated += 1
    return outcome


@transaction.atomic
def seed_groups(province: Province, groups: list[dict[str, Any]]) -> None:
    for item in groups:
        UnitGroup.objects.update_or_create(
            province=province, name=item["name"],
            defaults={
                "aliases": list(item.get("aliases") or []),
                "kinds": list(item.get("kinds") or []),
                "scope": item.get("scope") or GroupScope.PROVINCE,
                "note": item.get("note") or "",
            },
        )


def standard_groups() -> list[dict[str, Any]]:
    """The built-in group wordings ("UBND cấp xã", "Các sở, ban, ngành" …) every province starts with."""
    return yaml.safe_load(STANDARD_GROUPS_FILE.read_text(encoding="utf-8"))


def ensure_standard_groups(province: Province) -> bool:
    """Give a province the standard group wordings when it has none yet (its first units arrive); a province
    that has groups keeps them as its coordinators edited them. Returns whether it seeded."""
    if UnitGroup.objects.filter(province=province).exists():
        return False
    seed_groups(province, standard_groups())
    return True
