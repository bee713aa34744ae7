"""A report as an .xlsx workbook: a "Thông tin" sheet with the document's header, body and signature, then
one sheet per part (the appendices of the .docx) with the same rows, the heading row frozen and printed on
every page; a table's notes follow it."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from chiso.documents.exports import xlsx_form as form
from chiso.documents.exports.report_texts import ReportDocument
from chiso.documents.exports.xml_text import xml_safe

INFO_SHEET = "Thông tin"


def report_xlsx(document: ReportDocument) -> bytes:
    book = Workbook()
    form.info_sheet(book.active, INFO_SHEET, document.info)
    for table in document.tables:
        sheet = book.create_sheet(table.sheet[:31])
        last = form.table_sheet(sheet, [(f"Phụ lục {table.number}", False), (table.title, False),
                                        (document.appendix_subtitle, True)],
                                table.columns, table.rows, centred=table.centred)
        for offset, note in enumerate(table.notes, start=2):
            cell = form.write(sheet, last + offset, 1, note)
            cell.font = Font(name=form.FONT, size=12, italic=True)
    book.properties.title = xml_safe(document.header.subject)[:255]
    book.properties.creator = xml_safe(document.header.issuer)[:255]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
