"""A plan's appendices as an .xlsx workbook: a sheet with the document's header data, then one sheet per
appendix with the same columns, group rows and task rows as the .docx, the heading row frozen and printed on
every page, landscape A4 fitted to the page width."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from chiso.documents import plan_texts as texts
from chiso.documents.appendix_table import AppendixTable, GroupRow, appendix_tables
from chiso.plans.models import Plan

FONT = "Times New Roman"
HEADER_SHEET = "Thông tin"
# Spreadsheet column widths are in characters; a weight of 1 in appendix_table is about five of them.
CHARS_PER_WEIGHT = 5.5
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
WRAP_CENTRE = Alignment(wrap_text=True, vertical="top", horizontal="center")
HEADING_ALIGNMENT = Alignment(wrap_text=True, vertical="center", horizontal="center")
# Rows above the table: Phụ lục NN, the title, the subtitle, a blank row.
TABLE_HEADING_ROW = 5


def plan_xlsx(plan: Plan) -> bytes:
    return render(plan, appendix_tables(plan))


def render(plan: Plan, tables: list[AppendixTable]) -> bytes:
    book = Workbook()
    _header_sheet(book.active, plan)
    for table in tables:
        _appendix_sheet(book.create_sheet(sheet_title(table)), plan, table)
    book.properties.title = plan.title[:255]
    book.properties.creator = plan.issuer[:255]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_title(table: AppendixTable) -> str:
    """'Phụ lục 01 PAR INDEX': unique by its number, within the 31 characters a sheet name may have."""
    return f"Phụ lục {table.number} {table.framework.get_index_display()}"[:31]


def header_rows(plan: Plan) -> list[tuple[str, str]]:
    """The document's header data, one labelled row each; lists (targets, recipients) one item a line."""
    signer = texts.signature_lines(plan) + ([plan.signer_name] if plan.signer_name else [])
    return [
        ("Cơ quan chủ quản", plan.issuer_parent),
        ("Cơ quan ban hành", plan.issuer),
        ("Số, ký hiệu", texts.number_line(plan).removeprefix("Số: ").strip()),
        ("Địa danh, ngày tháng", texts.place_date_line(plan)),
        ("Loại văn bản", texts.DOCUMENT_KIND),
        ("Trích yếu", plan.title),
        ("Thời kỳ", plan.period_text),
        ("Bộ chỉ số", "; ".join(f"{f.get_index_display()} — {f.name_vi}" for f in plan.frameworks.all())),
        ("Chỉ tiêu", "\n".join(t.text for t in plan.targets.all())),
        ("Nơi nhận", "\n".join(texts.recipient_lines(plan))),
        ("Người ký", "\n".join(signer)),
    ]


def _header_sheet(sheet: Worksheet, plan: Plan) -> None:
    sheet.title = HEADER_SHEET
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 100
    for row, (label, value) in enumerate(header_rows(plan), start=1):
        label_cell = sheet.cell(row=row, column=1, value=label)
        label_cell.font = Font(name=FONT, size=12, bold=True)
        label_cell.alignment = WRAP_TOP
        value_cell = sheet.cell(row=row, column=2, value=value)
        value_cell.font = Font(name=FONT, size=12)
        value_cell.alignment = WRAP_TOP
    _print_setup(sheet, landscape=False)


def _appendix_sheet(sheet: Worksheet, plan: Plan, table: AppendixTable) -> None:
    last = len(table.columns)
    for row, (text, font) in enumerate((
        (f"Phụ lục {table.number}", Font(name=FONT, size=14, bold=True)),
        (table.title, Font(name=FONT, size=14, bold=True)),
        (texts.appendix_subtitle(plan), Font(name=FONT, size=14, italic=True)),
    ), start=1):
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font = font
        cell.alignment = HEADING_ALIGNMENT
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = round(column.weight * CHARS_PER_WEIGHT, 1)
        cell = sheet.cell(row=TABLE_HEADING_ROW, column=index, value=column.heading)
        cell.font = Font(name=FONT, size=12, bold=True)
        cell.alignment = HEADING_ALIGNMENT
        cell.border = BOX
    regular, bold = Font(name=FONT, size=12), Font(name=FONT, size=12, bold=True)
    centred = {"number", "node", "schedule"}
    for row, entry in enumerate(table.rows, start=TABLE_HEADING_ROW + 1):
        if isinstance(entry, GroupRow):
            values = [entry.code, entry.name] + [""] * (last - 2)
        else:
            values = [entry.values.get(c.key, "") for c in table.columns]
        for index, (column, value) in enumerate(zip(table.columns, values, strict=True), start=1):
            cell = sheet.cell(row=row, column=index, value=value or None)
            cell.border = BOX
            cell.font = bold if isinstance(entry, GroupRow) else regular
            cell.alignment = WRAP_CENTRE if column.key in centred else WRAP_TOP
            if isinstance(entry, GroupRow):
                cell.fill = GROUP_FILL
        if isinstance(entry, GroupRow):
            sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=last)
    # The heading row stays in view while scrolling and is printed at the top of every page.
    sheet.freeze_panes = sheet.cell(row=TABLE_HEADING_ROW + 1, column=1)
    sheet.print_title_rows = f"{TABLE_HEADING_ROW}:{TABLE_HEADING_ROW}"
    _print_setup(sheet, landscape=True)


def _print_setup(sheet: Worksheet, *, landscape: bool) -> None:
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    # Fit the columns to the page width; as many pages down as the table needs.
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.page_margins.left, sheet.page_margins.right = 30 / 25.4, 15 / 25.4
    sheet.page_margins.top = sheet.page_margins.bottom = 20 / 25.4
