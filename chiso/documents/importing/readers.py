"""Reading an uploaded plan into tables and lines, refusing what is not safe or not what it claims:
too large, empty, a zip that would inflate far beyond its size, corrupt, password-protected, a PDF with
no text layer (a scan), a file whose content does not match its extension. Every refusal is an
ImportRefused with a Vietnamese message; nothing else escapes (the fuzz tests hold this)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

from django.conf import settings

from chiso.core.archives import inflates_too_far
from chiso.documents.importing.errors import ImportRefused
from chiso.documents.importing.raw import Cell, Table

MAX_PDF_PAGES = 300
MAX_TEXT_CHARS = 2_000_000

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .doc/.xls, and any password-protected Office file


def max_upload_bytes() -> int:
    return int(getattr(settings, "CHISO_IMPORT_MAX_MB", 20)) * 1024 * 1024


def kind_of(filename: str) -> str:
    name = filename.lower().rsplit(".", 1)
    extension = name[1] if len(name) == 2 else ""
    if extension in {"docx", "xlsx", "pdf", "txt"}:
        return extension
    if extension in {"doc", "xls"}:
        raise ImportRefused("Tệp Word/Excel định dạng cũ (.doc, .xls) chưa đọc được: hãy lưu lại thành .docx hoặc .xlsx.")
    raise ImportRefused("Chỉ nhận tệp .docx, .xlsx, .pdf (có lớp chữ) hoặc văn bản dán vào ô.")


def check_size(data: bytes) -> None:
    if len(data) > max_upload_bytes():
        raise ImportRefused(f"Tệp quá lớn (tối đa {max_upload_bytes() // (1024 * 1024)} MB).")
    if not data.strip():
        raise ImportRefused("Tệp rỗng.")


def _check_zip(data: bytes, label: str) -> None:
    if data.startswith(OLE_SIGNATURE):
        raise ImportRefused(f"Tệp {label} có mật khẩu hoặc là định dạng cũ: hãy bỏ mật khẩu và lưu lại rồi gửi lại.")
    if not data.startswith(b"PK"):
        raise ImportRefused(f"Tệp không phải là tệp {label} thật (nội dung không khớp với phần mở rộng).")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if inflates_too_far(archive):
                raise ImportRefused(f"Tệp {label} có nội dung giải nén quá lớn (nghi là “bom nén”), không thể nhận.")
            names = {info.filename for info in infos}
            if archive.testzip() is not None:
                raise ImportRefused(f"Tệp {label} bị hỏng (một phần nội dung không đọc được).")
    except ImportRefused:
        raise
    except Exception:
        raise ImportRefused(f"Tệp {label} bị hỏng, không mở được.") from None
    expected = "word/document.xml" if label == "Word" else "xl/workbook.xml"
    if expected not in names:
        raise ImportRefused(f"Tệp không phải là tệp {label} thật (nội dung không khớp với phần mở rộng).")


def _guarded(label: str, read: Callable[[], tuple[list[Table], list[str]]]) -> tuple[list[Table], list[str]]:
    try:
        return read()
    except ImportRefused:
        raise
    except Exception:
        raise ImportRefused(f"Không đọc được tệp {label}: tệp hỏng hoặc sai định dạng.") from None


# ---- .docx -------------------------------------------------------------------------------------------

def read_docx(data: bytes) -> tuple[list[Table], list[str]]:
    _check_zip(data, "Word")
    return _guarded("Word", lambda: _docx(data))


def _docx(data: bytes) -> tuple[list[Table], list[str]]:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    document = Document(io.BytesIO(data))
    tables: list[Table] = []
    lines: list[str] = []
    above: list[str] = []

    def header_cells(table: DocxTable) -> list[str]:
        return [p.text for row in table.rows for cell in row.cells for p in cell.paragraphs]

    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text.strip()
            if text:
                lines.append(text)
                above.append(text)
            continue
        rows: list[list[Cell]] = []
        marked = 0
        for row in block.rows:
            trPr = row._tr.trPr
            if marked == len(rows) and trPr is not None and trPr.find(qn("w:tblHeader")) is not None:
                marked += 1
            rows.append([("\n".join(p.text for p in cell.paragraphs), cell._tc) for cell in row.cells])
        if not any(len(r) > 2 for r in rows):
            # The borderless table of the document's header (issuer | national motto): text, not an appendix.
            lines.extend(text.strip() for text in dict.fromkeys(header_cells(block)) if text.strip())
        tables.append(Table(rows=rows, above=list(above), marked_heading_rows=marked))
        above = []
    return tables, lines


# ---- .xlsx -------------------------------------------------------------------------------------------

def read_xlsx(data: bytes) -> tuple[list[Table], list[str]]:
    _check_zip(data, "Excel")
    return _guarded("Excel", lambda: _xlsx(data))


def _xlsx(data: bytes) -> tuple[list[Table], list[str]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), data_only=True)  # not read-only: merged ranges are needed
    tables: list[Table] = []
    lines: list[str] = []
    try:
        for sheet in workbook.worksheets:
            if sheet.max_row > 20000 or sheet.max_column > 60:
                raise ImportRefused("Bảng tính quá lớn (tối đa 20.000 dòng, 60 cột).")
            origin: dict[tuple[int, int], tuple[int, int]] = {}
            for merged in sheet.merged_cells.ranges:
                for r in range(merged.min_row, merged.max_row + 1):
                    for c in range(merged.min_col, merged.max_col + 1):
                        origin[(r, c)] = (merged.min_row, merged.min_col)
            values = {(cell.row, cell.column): cell.value for row in sheet.iter_rows() for cell in row}
            rows: list[list[Cell]] = []
            for r in range(1, sheet.max_row + 1):
                row: list[Cell] = []
                for c in range(1, sheet.max_column + 1):
                    top = origin.get((r, c), (r, c))
                    value = values.get(top)
                    row.append(("" if value is None else str(value), (sheet.title, *top)))
                rows.append(row)
            above: list[str] = []
            body: list[list[Cell]] = []
            for row in rows:
                filled = {text for text, _ in row if text and text.strip()}
                if not body and len(filled) == 1 and len({o for t, o in row if t and t.strip()}) <= 1:
                    above.append(next(iter(filled)).strip())
                    lines.append(above[-1])
                else:
                    body.append(row)
            tables.append(Table(rows=_interned(body), above=above))
    finally:
        workbook.close()
    return tables, lines


def _interned(rows: list[list[Cell]]) -> list[list[Cell]]:
    """Equal origins become the same object, as the table reader compares them by identity."""
    seen: dict[object, object] = {}
    return [[(text, seen.setdefault(origin, origin)) for text, origin in row] for row in rows]


# ---- .pdf --------------------------------------------------------------------------------------------

def read_pdf(data: bytes) -> tuple[list[Table], list[str]]:
    if not data.startswith(b"%PDF"):
        raise ImportRefused("Tệp không phải là tệp PDF thật (nội dung không khớp với phần mở rộng).")
    return _guarded("PDF", lambda: _pdf(data))


def _pdf(data: bytes) -> tuple[list[Table], list[str]]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        document = pdfplumber.open(io.BytesIO(data))
    except PDFPasswordIncorrect:
        raise ImportRefused("Tệp PDF có mật khẩu: hãy bỏ mật khẩu rồi gửi lại.") from None
    tables: list[Table] = []
    lines: list[str] = []
    with document:
        if getattr(document.doc, "encryption", None):
            raise ImportRefused("Tệp PDF có mật khẩu: hãy bỏ mật khẩu rồi gửi lại.")
        if len(document.pages) > MAX_PDF_PAGES:
            raise ImportRefused(f"Tệp PDF quá dài (tối đa {MAX_PDF_PAGES} trang).")
        characters = 0
        for page in document.pages:
            found = sorted(page.find_tables(), key=lambda t: t.bbox[1])
            boxes = [t.bbox for t in found]

            def outside(obj: dict, boxes: list = boxes) -> bool:
                return not any(b[0] <= obj["x0"] and obj["x1"] <= b[2] and b[1] <= obj["top"] and obj["bottom"] <= b[3]
                               for b in boxes)

            free = page.filter(outside)
            text = free.extract_text() or ""
            characters += len(text.strip())
            lines.extend(line.strip() for line in text.splitlines() if line.strip())
            top = 0.0
            for table in found:
                # The paragraphs between the previous table and this one ("PHỤ LỤC 02", its title).
                band = free.crop((0, top, page.width, max(top, table.bbox[1])), strict=False)
                above = [line.strip() for line in (band.extract_text() or "").splitlines() if line.strip()]
                top = table.bbox[3]
                extracted = table.extract()
                characters += sum(len(c or "") for row in extracted for c in row)
                tables.append(Table(rows=_pdf_grid(table, extracted), above=above))
        if characters < 20:
            raise ImportRefused("Tệp PDF không có lớp chữ (có thể là bản quét): hãy dùng bản Word, hoặc nhận dạng chữ "
                                "(OCR) trước rồi gửi lại.")
    return tables, lines


def _pdf_grid(table: Any, extracted: list[list[str | None]]) -> list[list[Cell]]:
    """pdfplumber gives None where a merged cell covers a position; the cell's box says which cell covers it,
    so a position gets that cell's text and identity whether the merge runs across or down."""
    boxes = list(table.cells)  # a pdfplumber Table (untyped)
    text_of: dict[tuple, str] = {}
    for r, row in enumerate(table.rows):
        for c, box in enumerate(row.cells):
            if box is not None and r < len(extracted) and c < len(extracted[r]):
                text_of[tuple(box)] = extracted[r][c] or ""
    # A column runs from its left edge to the next column's, not over the union of its cells: a group row merged
    # across the columns starts in one of them and would widen it over its neighbours.
    lefts = sorted({box[0] for box in boxes})
    right = max(box[2] for box in boxes) if boxes else 0
    columns = [(left, 0, (lefts[i + 1] if i + 1 < len(lefts) else right), 0) for i, left in enumerate(lefts)]
    grid: list[list[Cell]] = []
    for row in table.rows:
        y = (row.bbox[1] + row.bbox[3]) / 2
        cells: list[Cell] = []
        for c, box in enumerate(row.cells):
            if box is None and c < len(columns):
                x = (columns[c][0] + columns[c][2]) / 2
                box = next((b for b in boxes if b[0] <= x <= b[2] and b[1] <= y <= b[3]), None)
            key = tuple(box) if box is not None else None
            cells.append((text_of.get(key, "") if key else "", key))
        grid.append(cells)
    return _interned(grid)


# ---- pasted text -------------------------------------------------------------------------------------

def read_text(text: str) -> tuple[list[Table], list[str]]:
    """Text pasted from a document: lines with tabs are table rows (Word and Excel paste cells so), every
    other line is a line of the body."""
    if len(text) > MAX_TEXT_CHARS:
        raise ImportRefused("Văn bản dán vào quá dài.")
    if not text.strip():
        raise ImportRefused("Chưa có nội dung nào được dán vào.")
    tables: list[Table] = []
    lines: list[str] = []
    current: list[list[Cell]] = []
    above: list[str] = []
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        if "\t" in line:
            current.append([(cell.strip(), (number, c)) for c, cell in enumerate(line.split("\t"))])
            continue
        if current and line.strip():
            tables.append(Table(rows=current, above=above, merges_known=False))
            current, above = [], []
        if line.strip():
            lines.append(line.strip())
            above = (above + [line.strip()])[-4:]
    if current:
        tables.append(Table(rows=current, above=above, merges_known=False))
    return tables, lines


def decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise ImportRefused("Tệp văn bản phải được lưu với mã hóa UTF-8.")


def read_any(data: bytes, filename: str) -> tuple[str, list[Table], list[str]]:
    kind = kind_of(filename)
    check_size(data)
    if kind == "docx":
        return kind, *read_docx(data)
    if kind == "xlsx":
        return kind, *read_xlsx(data)
    if kind == "pdf":
        return kind, *read_pdf(data)
    return kind, *read_text(decode_text(data))
