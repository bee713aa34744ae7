"""Spreadsheet counterparts of the decree's documents, shared by plans and reports: a labelled information
sheet, and table sheets with the document's heading lines, the heading row frozen and printed on every page,
landscape A4 fitted to the page width, Times New Roman throughout."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from chiso.documents.exports.appendix_table import CellValue, Column, GroupRow, TaskRow
from chiso.documents.exports.xml_text import xml_safe

FONT = "Times New Roman"
# Spreadsheet column widths are in characters; a weight of 1 in appendix_table is about five of them.
CHARS_PER_WEIGHT = 5.5
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
WRAP_CENTRE = Alignment(wrap_text=True, vertical="top", horizontal="center")
HEADING_ALIGNMENT = Alignment(wrap_text=True, vertical="center", horizontal="center")
# Rows above the table: three heading lines (Phụ lục NN, the title, the subtitle) and a blank row.
TABLE_HEADING_ROW = 5


def write(sheet: Worksheet, row: int, column: int, value: object) -> Cell:
    """Every cell the exports write goes through here. Text is stored as text even when it starts with '='
    (openpyxl would store '=HYPERLINK(…)' typed into a task as a live formula) and without the characters
    XML forbids; numbers stay numbers."""
    if isinstance(value, str):
        cell = sheet.cell(row=row, column=column, value=xml_safe(value) or None)
        if cell.value is not None:
            cell.data_type = "s"
        return cell
    return sheet.cell(row=row, column=column, value=value)


def info_sheet(sheet: Worksheet, title: str, rows: Iterable[tuple[str, str]]) -> None:
    sheet.title = title
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 100
    for row, (label, value) in enumerate(rows, start=1):
        label_cell = write(sheet, row, 1, label)
        label_cell.font = Font(name=FONT, size=12, bold=True)
        label_cell.alignment = WRAP_TOP
        value_cell = write(sheet, row, 2, value)
        value_cell.font = Font(name=FONT, size=12)
        value_cell.alignment = WRAP_TOP
    print_setup(sheet, landscape=False)


def table_sheet(sheet: Worksheet, headings: Sequence[tuple[str, bool]], columns: Sequence[Column],
                rows: Iterable[GroupRow | TaskRow], *, centred: Iterable[str] = ()) -> int:
    """Writes the heading lines (text, italic) above the table and returns the last row written."""
    centred = set(centred)
    last = len(columns)
    for row, (text, italic) in enumerate(headings[:TABLE_HEADING_ROW - 2], start=1):
        cell = write(sheet, row, 1, text)
        cell.font = Font(name=FONT, size=14, bold=not italic, italic=italic)
        cell.alignment = HEADING_ALIGNMENT
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = round(column.weight * CHARS_PER_WEIGHT, 1)
        cell = write(sheet, TABLE_HEADING_ROW, index, column.heading)
        cell.font = Font(name=FONT, size=12, bold=True)
        cell.alignment = HEADING_ALIGNMENT
        cell.border = BOX
    regular, bold = Font(name=FONT, size=12), Font(name=FONT, size=12, bold=True)
    row = TABLE_HEADING_ROW
    for row, entry in enumerate(rows, start=TABLE_HEADING_ROW + 1):
        group = isinstance(entry, GroupRow)
        values: list[CellValue]
        if isinstance(entry, GroupRow):
            values = [entry.code, entry.name, *[""] * (last - 2)]
        else:
            values = [entry.values.get(c.key, "") for c in columns]
        for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = write(sheet, row, index, value)
            cell.border = BOX
            cell.font = bold if group or (isinstance(entry, TaskRow) and entry.bold) else regular
            cell.alignment = WRAP_CENTRE if column.key in centred else WRAP_TOP
            if group:
                cell.fill = GROUP_FILL
        if group:
            sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=last)
    # The heading row stays in view while scrolling and is printed at the top of every page.
    sheet.freeze_panes = sheet.cell(row=TABLE_HEADING_ROW + 1, column=1)
    sheet.print_title_rows = f"{TABLE_HEADING_ROW}:{TABLE_HEADING_ROW}"
    print_setup(sheet, landscape=True)
    return row


def print_setup(sheet: Worksheet, *, landscape: bool) -> None:
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    # Fit the columns to the page width; as many pages down as the table needs.
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.page_margins.left, sheet.page_margins.right = 30 / 25.4, 15 / 25.4
    sheet.page_margins.top = sheet.page_margins.bottom = 20 / 25.4
