"""Reading an uploaded table (CSV or XLSX) into rows of cells, refusing what is not safe to read:
too large, empty, not UTF-8, not a workbook, password-protected, or a zip that would inflate far
beyond its size (zip bomb). Every importer (units, index results…) reads through here and reports
the refusal as a list of Vietnamese messages."""

from __future__ import annotations

import contextlib
import csv
import io
import zipfile
from collections.abc import Iterable
from typing import IO, Any

from django.utils.translation import gettext as _

from chiso.core.archives import inflates_too_far
from chiso.core.text import fold


class ImportRejected(Exception):
    """The whole file is refused; `errors` say why, by row and column where they can."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def read_table(upload: IO[bytes], filename: str, *, max_bytes: int, max_rows: int) -> list[list[Any]]:
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ImportRejected([_("Tệp quá lớn (tối đa %(mb)s MB).") % {"mb": max(1, max_bytes // (1024 * 1024))}])
    if not data.strip():
        raise ImportRejected([_("Tệp rỗng.")])
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(data, max_rows)
    if name.endswith(".csv") or name.endswith(".txt"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRejected([_("Tệp CSV phải được lưu với mã hóa UTF-8.")]) from None
        dialect: type[csv.Dialect] = csv.excel
        with contextlib.suppress(csv.Error):  # not sniffable: plain comma-separated
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        try:
            rows = [row for row in csv.reader(io.StringIO(text), dialect)]
        except csv.Error:
            raise ImportRejected([_("Tệp CSV sai định dạng (ô quá dài hoặc dấu ngoặc kép không đóng).")]) from None
        if len(rows) > max_rows + 1:
            raise ImportRejected([_("Tệp có quá nhiều dòng (tối đa %(n)s).") % {"n": max_rows}])
        return rows
    raise ImportRejected([_("Chỉ nhận tệp .csv hoặc .xlsx.")])


def _read_xlsx(data: bytes, max_rows: int) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if inflates_too_far(archive):
                raise ImportRejected([_("Tệp Excel có nội dung giải nén quá lớn, không thể nhận.")])
        values = _first_sheet(load_workbook(io.BytesIO(data), read_only=True, data_only=True), max_rows)
        formulas = _first_sheet(load_workbook(io.BytesIO(data), read_only=True, data_only=False), max_rows)
    except ImportRejected:
        raise
    except Exception:
        raise ImportRejected([_("Không đọc được tệp Excel: tệp hỏng, có mật khẩu hoặc không phải .xlsx.")]) from None
    if len(values) > max_rows + 1:
        raise ImportRejected([_("Tệp có quá nhiều dòng (tối đa %(n)s).") % {"n": max_rows}])
    # A formula saved by a program that does not calculate has no cached value: reading it as an empty
    # cell would silently drop a figure, so such a file is refused with the lines to fix.
    uncalculated = [
        line for line, (value_row, formula_row) in enumerate(zip(values, formulas, strict=False), start=1)
        if any(isinstance(f, str) and f.startswith("=") and v is None
               for v, f in zip(value_row, formula_row, strict=False))
    ]
    if uncalculated:
        raise ImportRejected([_("Dòng %(line)s: ô có công thức chưa được tính giá trị. Hãy mở tệp bằng Excel và lưu "
                                "lại, hoặc dán giá trị thay cho công thức.") % {"line": line} for line in uncalculated[:20]])
    return values


def _first_sheet(workbook: Any, max_rows: int) -> list[list[Any]]:
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True, max_row=max_rows + 2)]
    finally:
        workbook.close()


def header_map(header: Iterable[Any], columns: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Which position holds which column, from header wordings compared diacritics-blind."""
    found: dict[str, int] = {}
    for position, cell in enumerate(header):
        key = fold(str(cell or ""))
        for column, names in columns.items():
            if key in names and column not in found:
                found[column] = position
    return found
