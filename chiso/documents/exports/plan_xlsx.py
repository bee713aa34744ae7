"""A plan's appendices as an .xlsx workbook: a sheet with the document's header data, then one sheet per
appendix with the same columns, group rows and task rows as the .docx, the heading row frozen and printed on
every page, landscape A4 fitted to the page width (laid out by xlsx_form, shared with the reports)."""

from __future__ import annotations

import io

from openpyxl import Workbook

from chiso.documents.exports import plan_texts as texts
from chiso.documents.exports import xlsx_form as form
from chiso.documents.exports.appendix_table import OTHER_TASKS, AppendixTable, appendix_tables
from chiso.documents.exports.docx_form import DocumentHeader
from chiso.documents.exports.headers import closing_info, header_info, plan_header
from chiso.documents.exports.xml_text import xml_safe
from chiso.plans.models import Plan

HEADER_SHEET = "Thông tin"
# Kept importable here: tests and readers find the table below it.
TABLE_HEADING_ROW = form.TABLE_HEADING_ROW


def plan_xlsx(plan: Plan) -> bytes:
    return render(plan, appendix_tables(plan))


def render(plan: Plan, tables: list[AppendixTable]) -> bytes:
    book = Workbook()
    header = plan_header(plan)
    form.info_sheet(book.active, HEADER_SHEET, header_rows(plan, header))
    subtitle = texts.appendix_subtitle(plan, header.number_line)
    for table in tables:
        form.table_sheet(book.create_sheet(sheet_title(table)),
                         [(f"Phụ lục {table.number}", False), (table.title, False), (subtitle, True)],
                         table.columns, table.rows, centred={"number", "node", "schedule"})
    book.properties.title = xml_safe(plan.title)[:255]
    book.properties.creator = xml_safe(plan.issuer)[:255]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_title(table: AppendixTable) -> str:
    """'Phụ lục 01 PAR INDEX': unique by its number, within the 31 characters a sheet name may have."""
    name = table.framework.get_index_display() if table.framework is not None else OTHER_TASKS
    return f"Phụ lục {table.number} {name}"[:31]


def header_rows(plan: Plan, header: DocumentHeader) -> list[tuple[str, str]]:
    """The document's header data, one labelled row each; lists (targets, recipients) one item a line."""
    return header_info(header) + [
        ("Thời kỳ", plan.period_text),
        ("Bộ chỉ số", "; ".join(f"{f.get_index_display()} — {f.name_vi}" for f in plan.frameworks.all())),
        ("Chỉ tiêu", "\n".join(t.text for t in plan.targets.all())),
    ] + closing_info(header)
