"""Writes on an import while it is previewed: creating it from an upload, correcting a row, splitting,
merging and deleting rows, turning a row the importer did not understand into a task row, correcting the
header, cancelling. Each function owns its transaction and re-reads the import under a row lock.

One page edits many rows, one at a time: each row carries its own `version`, so saving one row does not make
the other rows' forms stale, while two people correcting the same row cannot overwrite each other (StaleEdit).
Every write also bumps the import's lock_version, which the confirmation checks."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from chiso.core.history import record_as
from chiso.core.locking import StaleEdit
from chiso.core.text import fold
from chiso.documents.importing.mapping import agency_confidence
from chiso.documents.importing.saving import row_problems
from chiso.documents.models import ImportStatus, PlanImport
from chiso.frameworks.models import Framework, Node
from chiso.orgs.creating import create_named_unit
from chiso.orgs.models import Province, Unit
from chiso.plans.models import Plan
from chiso.plans.schedules import parse_schedule

if TYPE_CHECKING:
    from chiso.accounts.models import User

_RAW_FIELDS = ("number", "node_text", "content", "target", "lead_text", "monitoring_text", "coordinating_text",
               "schedule_text", "outputs", "notes")
_ID_LISTS = ("node_ids", "lead_unit_ids", "lead_group_ids", "coordinating_unit_ids", "coordinating_group_ids")
_SOURCE_PLACE = re.compile(r"Bảng (\d+), dòng (\d+)")
PASTED_NAME = "van-ban-dan-vao.txt"


class DraftClosed(Exception):
    """The import was confirmed or cancelled meanwhile; the message says so to the user."""

    def __init__(self) -> None:
        super().__init__(_("Bản nhập này đã được xác nhận hoặc đã hủy."))


class RowChangeRefused(Exception):
    """A structural change that cannot be made (nothing to merge into, a split point outside the text)."""


def node_ids_of(frameworks: Any) -> set[int]:
    return set(Node.objects.filter(framework__in=frameworks).values_list("pk", flat=True))


def _prepare(row: dict[str, Any], key: int, node_ids: set[int]) -> dict[str, Any]:
    row = dict(row)
    row["key"], row["version"], row["edited"] = key, 1, False
    row["raw"] = " | ".join(str(row.get(name) or "") for name in _RAW_FIELDS if row.get(name))
    row["problems"] = row_problems(row, node_ids)
    return row


def start_import(*, province: Province, owner_unit: Unit, user: User | None, data: dict[str, Any],
                 frameworks: list[Framework], original: bytes, original_name: str,
                 parent: Plan | None = None) -> PlanImport:
    """Keep the original (under a random name) and what the importer read from it, as a draft to preview."""
    node_ids = node_ids_of(frameworks)
    rows = [_prepare(row, key, node_ids) for key, row in enumerate(data["rows"], start=1)]
    unreadable = [{**item, "key": key} for key, item in enumerate(data["unreadable"], start=len(rows) + 1)]
    plan_import = PlanImport(
        province=province, owner_unit=owner_unit, parent=parent, uploaded_by=user,
        original_name=original_name[-255:], size=len(original), sha256=hashlib.sha256(original).hexdigest(),
        kind=data.get("kind", ""), header={**data["header"], "version": 1}, rows=rows, unreadable=unreadable,
    )
    record_as(plan_import, user)
    plan_import.file.save(original_name, ContentFile(original), save=False)
    try:
        with transaction.atomic():
            plan_import.save()
            plan_import.frameworks.set(frameworks)
    except BaseException:
        plan_import.file.delete(save=False)  # no row, so no file either
        raise
    return plan_import


def fill_import(pk: int, data: dict[str, Any], ocr: dict[str, Any]) -> None:
    """The rows a background read (OCR) found, written into the draft waiting for them, unless it was closed."""
    with transaction.atomic():
        plan_import = PlanImport.objects.select_for_update().get(pk=pk)
        if plan_import.status != ImportStatus.DRAFT:
            return
        frameworks = data["frameworks"]
        node_ids = node_ids_of(frameworks)
        plan_import.rows = [_prepare(row, key, node_ids) for key, row in enumerate(data["rows"], start=1)]
        plan_import.unreadable = [{**item, "key": key}
                                  for key, item in enumerate(data["unreadable"], start=len(plan_import.rows) + 1)]
        plan_import.header = {**data["header"], "version": plan_import.header.get("version", 1), "ocr": ocr}
        plan_import.lock_version += 1
        plan_import.save()
        plan_import.frameworks.set(frameworks)


@contextmanager
def _editing(pk: int, user: User | None) -> Iterator[PlanImport]:
    with transaction.atomic():
        plan_import = PlanImport.objects.select_for_update().get(pk=pk)
        if plan_import.status != ImportStatus.DRAFT:
            raise DraftClosed
        yield plan_import
        plan_import.lock_version += 1
        record_as(plan_import, user)
        plan_import.save()


def _claim_row(plan_import: PlanImport, key: int, version: int) -> tuple[int, dict[str, Any]]:
    """The row as the editor saw it, else StaleEdit (changed, merged or deleted by someone else meanwhile)."""
    for position, row in enumerate(plan_import.rows):
        if row["key"] == key:
            if row["version"] != version:
                raise StaleEdit
            row["version"] += 1
            return position, row
    raise StaleEdit


def _refresh(row: dict[str, Any], node_ids: set[int], year: int | None) -> None:
    schedule = parse_schedule(row["schedule_text"], year)
    row["schedule"] = {"kind": str(schedule.kind), "start": schedule.start.isoformat() if schedule.start else None,
                       "due": schedule.due.isoformat() if schedule.due else None}
    row["problems"] = row_problems(row, node_ids)


def update_row(pk: int, key: int, version: int, changes: dict[str, Any], user: User) -> dict[str, Any]:
    """A row as the user corrected it: what they chose is certain, so its confidence becomes 1."""
    with _editing(pk, user) as plan_import:
        _, row = _claim_row(plan_import, key, version)
        # The agencies' wording as printed stays only while the agencies themselves are unchanged.
        for ids, text, unknown in (("lead", "lead_text", "lead_unknown"),
                                   ("coordinating", "coordinating_text", "coordinating_unknown")):
            if (changes[f"{ids}_unit_ids"] != row[f"{ids}_unit_ids"]
                    or changes[f"{ids}_group_ids"] != row[f"{ids}_group_ids"]):
                row[text], row[unknown] = "", []
        row.update(changes)
        row["edited"] = True
        row["confidence"] = {"node": 1.0, "lead": 1.0, "schedule": 1.0, "row": 1.0}
        _refresh(row, node_ids_of(plan_import.frameworks.all()), plan_import.header.get("year"))
        return row


def split_row(pk: int, key: int, version: int, at_line: int, user: User) -> None:
    """Lines at_line+1… of the row's content become a new row right after it, with the same mapping."""
    with _editing(pk, user) as plan_import:
        position, row = _claim_row(plan_import, key, version)
        lines = [line for line in row["content"].splitlines() if line.strip()]
        if not 1 <= at_line < len(lines):
            raise RowChangeRefused(_("Chọn chỗ tách trong khoảng từ dòng 1 đến dòng %(n)s của nội dung.")
                                   % {"n": len(lines) - 1} if len(lines) > 1
                                   else _("Nội dung chỉ có một dòng, không tách được."))
        node_ids = node_ids_of(plan_import.frameworks.all())
        year = plan_import.header.get("year")
        new = {**row, "key": plan_import.next_key(), "version": 1, "content": "\n".join(lines[at_line:]),
               "source": f"{row['source']} (tách)"}
        for name in _ID_LISTS:
            new[name] = list(row[name])
        row["content"] = "\n".join(lines[:at_line])
        _refresh(row, node_ids, year)
        _refresh(new, node_ids, year)
        plan_import.rows.insert(position + 1, new)


def _joined(first: str, second: str, separator: str) -> str:
    if not second or second == first:
        return first
    return f"{first}{separator}{second}" if first else second


def merge_row(pk: int, key: int, version: int, user: User) -> None:
    """The row joins the one above it: contents one after the other, nodes and agencies of both."""
    with _editing(pk, user) as plan_import:
        position, row = _claim_row(plan_import, key, version)
        if position == 0:
            raise RowChangeRefused(_("Dòng đầu tiên không có dòng nào phía trên để gộp vào."))
        above = plan_import.rows[position - 1]
        above["version"] += 1
        above["content"] = _joined(above["content"], row["content"], "\n")
        for name in ("target", "outputs", "notes"):
            above[name] = _joined(above[name], row[name], "\n")
        for name in ("lead_text", "coordinating_text"):
            above[name] = _joined(above[name], row[name], "; ")
        above["schedule_text"] = above["schedule_text"] or row["schedule_text"]
        for name in (*_ID_LISTS, "lead_unknown", "coordinating_unknown"):
            above[name] = list(dict.fromkeys([*above.get(name, []), *row.get(name, [])]))
        above["source"] = f"{above['source']} + {row['source']}"
        _refresh(above, node_ids_of(plan_import.frameworks.all()), plan_import.header.get("year"))
        del plan_import.rows[position]


def delete_row(pk: int, key: int, version: int, user: User) -> None:
    with _editing(pk, user) as plan_import:
        position, _row = _claim_row(plan_import, key, version)
        del plan_import.rows[position]


def _place(source: str) -> tuple[int, int] | None:
    match = _SOURCE_PLACE.search(source)
    return (int(match.group(1)), int(match.group(2))) if match else None


def promote_unreadable(pk: int, key: int, user: User) -> None:
    """A row the importer did not understand becomes a task row, placed where the document has it; the user
    then chooses its node and agencies."""
    with _editing(pk, user) as plan_import:
        item = next((u for u in plan_import.unreadable if u["key"] == key), None)
        if item is None:
            raise StaleEdit
        plan_import.unreadable.remove(item)
        row = {"id": 0, "source": item["source"], "number": "", "appendix": "", "group": "", "node_text": "",
               "content": item["text"], "target": "", "lead_text": "", "monitoring_text": "",
               "coordinating_text": "", "schedule_text": "", "outputs": "", "notes": "", "node_how": "none",
               "lead_unknown": [], "coordinating_unknown": [],
               "confidence": {"node": 0.0, "lead": 0.5, "schedule": 1.0, "row": 0.0},
               **{name: [] for name in _ID_LISTS}}
        row = _prepare(row, plan_import.next_key(), node_ids_of(plan_import.frameworks.all()))
        _refresh(row, node_ids_of(plan_import.frameworks.all()), plan_import.header.get("year"))
        where = _place(item["source"])
        position = len(plan_import.rows)
        if where is not None:
            position = next((i for i, r in enumerate(plan_import.rows)
                             if (_place(r["source"]) or (0, 0)) > where), position)
        plan_import.rows.insert(position, row)


HEADER_FIELDS = ("issuer", "number", "symbol", "place", "issued_on", "title")


def reread(pk: int, version: int, frameworks: list[Framework], issuer: Unit | None, user: User) -> None:
    """The original read again with the frameworks and the issuer the user chose: every row is mapped anew
    (corrections made to rows are replaced; the header as corrected is kept)."""
    from chiso.documents.importing.pipeline import parse_pasted, parse_upload, preview_data

    with _editing(pk, user) as plan_import:
        if plan_import.lock_version != version:
            raise StaleEdit
        if plan_import.kind == "ocr":
            raise RowChangeRefused(_("Bản quét không đọc lại được: hãy sửa chỉ số và cơ quan chủ trì ở từng dòng."))
        with plan_import.file.open("rb") as handle:
            original = handle.read()
        raw = (parse_pasted(original.decode("utf-8")) if plan_import.original_name == PASTED_NAME
               else parse_upload(original, plan_import.original_name))
        data = preview_data(raw, plan_import.province, frameworks, issuer_id=issuer.pk if issuer else 0)
        node_ids = node_ids_of(frameworks)
        plan_import.rows = [_prepare(row, key, node_ids) for key, row in enumerate(data["rows"], start=1)]
        plan_import.unreadable = [{**item, "key": key}
                                  for key, item in enumerate(data["unreadable"], start=len(plan_import.rows) + 1)]
        kept = {name: plan_import.header.get(name) for name in HEADER_FIELDS}
        plan_import.header = {**data["header"], **kept, "version": plan_import.header.get("version", 1) + 1}
        if issuer is not None and user.manages_province:
            plan_import.owner_unit = issuer
        plan_import.frameworks.set(frameworks)


def update_header(pk: int, version: int, changes: dict[str, Any], user: User) -> dict[str, Any]:
    with _editing(pk, user) as plan_import:
        header = plan_import.header
        if header.get("version", 1) != version:
            raise StaleEdit
        header.update({name: changes[name] for name in HEADER_FIELDS})
        if header.get("issued_on"):
            header["year"] = int(header["issued_on"][:4])
        header["version"] = version + 1
        return header


def cancel_import(pk: int, user: User | None) -> None:
    """The draft is closed and its file removed (no plan needs it); the row stays, with its history."""
    with _editing(pk, user) as plan_import:
        plan_import.status = ImportStatus.CANCELLED
        name = plan_import.file.name
        plan_import.file = ""
        if name:
            storage = PlanImport._meta.get_field("file").storage
            transaction.on_commit(lambda: storage.delete(name))


def unknown_wordings(rows: list[dict[str, Any]]) -> dict[str, int]:
    """Every agency name the rows print that no unit or group of the province matched, with how many rows
    print it, in the order the plan first prints them."""
    counts: dict[str, int] = {}
    for row in rows:
        for wording in dict.fromkeys([*(row.get("lead_unknown") or []), *(row.get("coordinating_unknown") or [])]):
            counts[wording] = counts.get(wording, 0) + 1
    return counts


def issuer_unit(plan_import: PlanImport) -> Unit | None:
    """The unit that issued the plan as read or chosen in the preview, when it is one of the province's."""
    issuer_id = plan_import.header.get("issuer_unit_id") or 0
    return Unit.objects.filter(province_id=plan_import.province_id, pk=issuer_id).first()


def _point_rows_to(plan_import: PlanImport, wording: str, unit: Unit) -> int:
    """Rows that printed `wording` as a lead or coordinating agency now name `unit`; returns how many."""
    node_ids = node_ids_of(plan_import.frameworks.all())
    year = plan_import.header.get("year")
    changed = 0
    for row in plan_import.rows:
        touched = False
        for kind in ("lead", "coordinating"):
            unknown = row.get(f"{kind}_unknown") or []
            if wording not in unknown:
                continue
            row[f"{kind}_unknown"] = [w for w in unknown if w != wording]
            row[f"{kind}_unit_ids"] = list(dict.fromkeys([*row[f"{kind}_unit_ids"], unit.pk]))
            touched = True
        if not touched:
            continue
        row["version"] += 1  # an editor open on this row would overwrite the new unit: it is stale now
        confidence = row["confidence"]
        confidence["lead"] = max(confidence["lead"], agency_confidence(
            row["lead_text"], row["lead_unit_ids"], row["lead_group_ids"], row["lead_unknown"]))
        confidence["row"] = round(min(confidence["node"], confidence["lead"], confidence["schedule"]), 2)
        _refresh(row, node_ids, year)
        changed += 1
    return changed


def create_unit_for_rows(pk: int, version: int, wording: str, name: str, kind: str, user: User) -> Unit:
    """A unit the plan names but the province lacks is created (parent: the issuer) and every row printing its
    name points to it, in one transaction: a refused unit (UnitRefused) or a stale draft changes nothing."""
    with _editing(pk, user) as plan_import:
        if plan_import.lock_version != version:
            raise StaleEdit
        if wording not in unknown_wordings(plan_import.rows):
            raise RowChangeRefused(_("Không còn dòng nào ghi “%(name)s” mà chưa nhận ra đơn vị.") % {"name": wording})
        aliases = [wording] if fold(wording) != fold(name) else []
        unit = create_named_unit(plan_import.province, name, kind, issuer_unit(plan_import), aliases)
        _point_rows_to(plan_import, wording, unit)
        return unit
