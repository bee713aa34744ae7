"""Reading a criteria tree from the annex of a province's decision, as .xlsx or .docx.

Such annexes are one table: code, name, maximum points, scoring rule, evidence (and sometimes the method
and the allowed values). Field rows (I, II…) are merged across the code and name columns; criteria are
"TC 1.1", component criteria "TCTP 1.1.1"; points are written with a decimal comma ("1,5"). Bonus and
penalty rows ("Điểm thưởng", "Điểm trừ") give their maxima, a "Tổng" row the tree's stated total. The
result is plain data for the preview, where the coordinator corrects it before anything is saved."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.utils.translation import gettext as _

from chiso.core.tabular import ImportRejected, read_table
from chiso.core.text import clean_spaces, fold
from chiso.monitoring.reports.evidence import DOCX, EvidenceRejected, check_evidence
from chiso.unitindex.models import Method

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
COLUMNS = {  # folded header beginnings
    "code": ("stt", "ma", "ky hieu", "so tt"),
    "name": ("linh vuc", "noi dung", "tieu chi", "ten"),
    "points": ("diem toi da", "diem chuan", "thang diem", "so diem"),
    "rule": ("cach cham", "cach tinh", "huong dan cham", "yeu cau"),
    "evidence": ("tai lieu kiem chung", "tai lieu", "minh chung"),
    "method": ("phuong phap",),
    "choices": ("muc diem", "cac muc diem"),
}
ROMAN = re.compile(r"^(?P<code>[IVXL]+)\s*[.:]?\s*(?P<rest>.*)$")
TCTP = re.compile(r"^(?P<code>TCTP\s*\d+(?:\.\d+)*)\s*[.:]?\s*(?P<rest>.*)$", re.IGNORECASE)
TC = re.compile(r"^(?P<code>TC\s*\d+(?:\.\d+)*)\s*[.:]?\s*(?P<rest>.*)$", re.IGNORECASE)
POINTS_IN_TEXT = re.compile(r"\((\d+(?:[.,]\d+)?)\s*điểm\)", re.IGNORECASE)


@dataclass
class ParsedRow:
    code: str
    name: str
    depth: int
    max_points: Decimal | None = None
    rule: str = ""
    evidence: str = ""
    method: str = Method.SELF
    choices: list[str] = field(default_factory=list)
    not_applicable: bool = False


@dataclass
class ParsedTree:
    rows: list[ParsedRow]
    total: Decimal | None = None
    bonus_max: Decimal = Decimal(0)
    penalty_max: Decimal = Decimal(0)
    errors: list[str] = field(default_factory=list)


def parse_points(value: Any) -> Decimal | None:
    """12 / 12.0 / "1,5" / "0,25 điểm" → Decimal; empty → None; anything else raises ValueError."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value) if isinstance(value, int | float | Decimal) else fold(str(value)).replace("diem", "").strip()
    if "," in text and not isinstance(value, int | float | Decimal):  # decimal comma, perhaps with thousands dots
        text = text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(text)
        # NaN, infinities and numbers beyond the context's precision (1e308) are not points: refused as
        # any other non-number, rather than failing later when rounded or shown.
        if not number.is_finite():
            raise InvalidOperation
        return _plain(number)
    except InvalidOperation:
        raise ValueError(str(value)) from None


def _plain(number: Decimal) -> Decimal:
    """40.0 → 40 and 1.50 → 1.5, never 4E+1."""
    number = number.normalize()
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number


def read_tree_file(upload: IO[bytes], filename: str) -> ParsedTree:
    name = filename.lower()
    if name.endswith(".docx"):
        return parse_rows(_docx_rows(upload, filename))
    if name.endswith(".xlsx"):
        return parse_rows([[_cell(c) for c in row] for row in read_table(upload, filename, max_bytes=MAX_BYTES,
                                                                            max_rows=MAX_ROWS)])
    raise ImportRejected([_("Chỉ nhận phụ lục dạng .xlsx hoặc .docx.")])


def _cell(value: Any) -> Any:
    return clean_spaces(value) if isinstance(value, str) else value


def _docx_rows(upload: IO[bytes], filename: str) -> list[list[Any]]:
    from docx import Document

    try:
        checked = check_evidence(upload, filename)
    except EvidenceRejected as refused:
        raise ImportRejected([str(refused)]) from None
    if checked.content_type != DOCX:
        raise ImportRejected([_("Tệp không phải văn bản Word (.docx).")])
    document = Document(io.BytesIO(checked.data))
    table = max(document.tables, key=lambda t: len(t.rows), default=None)
    if table is None:
        raise ImportRejected([_("Không tìm thấy bảng tiêu chí trong văn bản.")])
    rows = []
    for row in table.rows:
        # A horizontally merged cell is repeated once per grid column: keep it in the first one only,
        # as a spreadsheet does, so both formats read the same.
        cells: list[str | None] = []
        previous = None
        for cell in row.cells:
            cells.append(None if previous is not None and cell._tc is previous else clean_spaces(cell.text))
            previous = cell._tc
        rows.append(cells)
    return rows


def _columns(rows: list[list[Any]]) -> tuple[int, dict[str, int]]:
    for index, row in enumerate(rows[:20]):
        found: dict[str, int] = {}
        for position, cell in enumerate(row):
            key = fold(str(cell or ""))
            for column, starts in COLUMNS.items():
                if column not in found and key and any(key.startswith(start) for start in starts):
                    found[column] = position
                    break
        if {"code", "name", "points"} <= found.keys():
            return index, found
    raise ImportRejected([_("Không tìm thấy dòng tiêu đề có các cột Mã (STT), Tên tiêu chí và Điểm tối đa.")])


def parse_rows(rows: list[list[Any]]) -> ParsedTree:
    header, columns = _columns(rows)
    tree = ParsedTree(rows=[])
    for line, row in enumerate(rows[header + 1:], start=header + 2):
        cells = {key: row[pos] if pos < len(row) else None for key, pos in columns.items()}
        if all(value in (None, "") for value in cells.values()):
            continue
        _parse_row(tree, line, cells)
    if not tree.rows:
        tree.errors.append(_("Bảng không có tiêu chí nào."))
    return tree


def _parse_row(tree: ParsedTree, line: int, cells: dict[str, Any]) -> None:
    code_text, name = str(cells.get("code") or "").strip(), str(cells.get("name") or "").strip()
    label = name or code_text
    try:
        points = parse_points(cells.get("points"))
    except ValueError:
        tree.errors.append(_("Dòng %(line)s: điểm “%(value)s” không phải là số.") % {
            "line": line, "value": cells.get("points")})
        points = None
    folded = fold(label)
    if folded.startswith(("diem thuong", "diem cong")):
        tree.bonus_max = points or Decimal(0)
        return
    if folded.startswith("diem tru"):
        tree.penalty_max = points or Decimal(0)
        return
    if folded.startswith("tong"):
        tree.total = points
        return
    parsed = _code_and_name(code_text, name)
    if parsed is None:
        tree.errors.append(_("Dòng %(line)s: không nhận ra mã “%(code)s” (cần I, II…, TC 1.1 hoặc TCTP 1.1.1).") % {
            "line": line, "code": code_text or label})
        return
    code, depth, title = parsed
    if points is None and (match := POINTS_IN_TEXT.search(title)):
        points = parse_points(match.group(1))
    title = POINTS_IN_TEXT.sub("", title).strip(" .:")
    tree.rows.append(ParsedRow(code=code, name=title, depth=depth, max_points=points, **_details(cells)))


def _code_and_name(code_text: str, name: str) -> tuple[str, int, str] | None:
    for pattern, depth in ((TCTP, 2), (TC, 1), (ROMAN, 0)):
        match = pattern.match(code_text)
        if match:
            numbers = re.search(r"\d+(?:\.\d+)*", match.group("code"))
            code = match.group("code").upper() if depth == 0 else (
                f"{'TCTP' if depth == 2 else 'TC'} {numbers.group(0) if numbers else ''}")
            return code, depth, name or match.group("rest")
    return None


def _details(cells: dict[str, Any]) -> dict[str, Any]:
    rule = str(cells.get("rule") or "").strip()
    method_text = fold(str(cells.get("method") or ""))
    method = Method.SELF
    if "dieu tra" in method_text or "xhh" in method_text or "khao sat" in method_text:
        method = Method.SURVEY
    elif "tinh cham" in method_text or "tinh danh gia" in method_text:
        method = Method.PROVINCE
    choices = [str(parse_points(part)) for part in re.split(r"[;/]", str(cells.get("choices") or ""))
               if part.strip() and _is_number(part)]
    return {"rule": rule, "evidence": str(cells.get("evidence") or "").strip(), "method": method,
            "choices": choices, "not_applicable": "khong ap dung" in fold(rule)}


def _is_number(text: str) -> bool:
    try:
        return parse_points(text) is not None
    except ValueError:
        return False
