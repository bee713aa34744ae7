"""Reading a plan's appendix tables back from a .docx into task rows.

Today it reads what plan_docx writes, so that an exported plan round-trips; it is built to grow into the
importer of real plans: columns are found by their heading wording (the variants seen in printed plans,
compared without diacritics), heading rows are the rows marked to repeat (or the first row), and a group row
is told from a task row by its shape (the task cell merged across columns, or no task text at all), not by
anything only chiso writes. Nothing is saved here: the rows go to a later step that resolves nodes and
agencies and saves through plans.services, all or nothing."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph

from chiso.core.archives import inflates_too_far
from chiso.documents.importing.columns import HEADING_WORDS, column_for

# Columns are named by the heading variants the import engine uses (importing.columns): one list for both.
__all__ = ["HEADING_WORDS", "DocxImportError", "ImportedAppendix", "ImportedTask", "column_for", "read_appendices"]

# Word files are zip archives: refuse one that unpacks to more than this before python-docx parses it.

class DocxImportError(Exception):
    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class ImportedTask:
    row: int
    number: str = ""
    node_codes: list[str] = field(default_factory=list)
    content: str = ""
    target: str = ""
    lead_text: str = ""
    monitoring_text: str = ""
    coordinating_text: str = ""
    schedule_text: str = ""
    outputs: str = ""
    notes: str = ""


@dataclass
class ImportedAppendix:
    heading: list[str]
    columns: list[str | None]
    tasks: list[ImportedTask]


def read_appendices(data: bytes) -> list[ImportedAppendix]:
    """Every table whose headings name a task column, with the paragraphs above it (Phụ lục 01, its title)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if inflates_too_far(archive):
                raise DocxImportError(["Tệp Word có nội dung giải nén quá lớn, không thể nhận."])
        document = Document(io.BytesIO(data))
    except DocxImportError:
        raise
    except Exception:
        raise DocxImportError(["Không đọc được tệp Word: tệp hỏng, có mật khẩu hoặc không phải .docx."]) from None
    appendices: list[ImportedAppendix] = []
    above: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            if block.text.strip():
                above.append(block.text.strip())
            continue
        appendix = _read_table(block, above)
        if appendix is not None:
            appendices.append(appendix)
        above = []
    if not appendices:
        raise DocxImportError(["Không tìm thấy bảng phụ lục nào có cột nhiệm vụ trong tệp."])
    return appendices


def _is_heading_row(row: _Row) -> bool:
    trPr = row._tr.trPr
    return trPr is not None and trPr.find(qn("w:tblHeader")) is not None


def _read_table(table: Table, above: list[str]) -> ImportedAppendix | None:
    rows = list(table.rows)
    if not rows:
        return None
    heading_count = 0
    while heading_count < len(rows) and _is_heading_row(rows[heading_count]):
        heading_count += 1
    heading_count = max(heading_count, 1)
    width = max(len(row.cells) for row in rows)
    # With two heading rows (a grouped heading above the column names), the lower name wins.
    headings = [""] * width
    for row in rows[:heading_count]:
        for position, cell in enumerate(row.cells):
            if cell.text.strip():
                headings[position] = cell.text.strip()
    columns = [column_for(h) for h in headings]
    if "content" not in columns:
        return None
    tasks: list[ImportedTask] = []
    group_code = ""
    for number, row in enumerate(rows[heading_count:], start=heading_count + 1):
        cells = row.cells
        by_column: dict[str, str] = {}
        for position, cell in enumerate(cells):
            key = columns[position] if position < len(columns) else None
            if key and key not in by_column:
                by_column[key] = _cell_text(cell)
        content_at = columns.index("content")
        content_cell = cells[content_at] if content_at < len(cells) else None
        spans = content_cell is not None and sum(1 for c in cells if c._tc is content_cell._tc) > 1
        if spans or not by_column.get("content"):
            group_code = by_column.get("number", "") or group_code
            continue
        extra = by_column.get("node", "").replace(",", " ").replace(";", " ").split()
        tasks.append(ImportedTask(
            row=number, number=by_column.get("number", ""),
            node_codes=([group_code] if group_code else []) + [code for code in extra if code != group_code],
            content=by_column.get("content", ""), target=by_column.get("target", ""),
            lead_text=by_column.get("lead", ""), monitoring_text=by_column.get("monitoring", ""),
            coordinating_text=by_column.get("coordinating", ""), schedule_text=by_column.get("schedule", ""),
            outputs=by_column.get("outputs", ""), notes=by_column.get("notes", ""),
        ))
    return ImportedAppendix(heading=above, columns=columns, tasks=tasks)


def _cell_text(cell: object) -> str:
    """A cell's paragraphs one per line, as the task's text keeps its separate items."""
    return "\n".join(p.text.strip() for p in cell.paragraphs).strip()  # type: ignore[attr-defined]
