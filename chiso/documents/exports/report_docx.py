"""A report (the province's consolidated report of a period, or a unit's own) as a .docx in the form of
Decree 30/2020/NĐ-CP: the letterhead, "BÁO CÁO" and its subject, the body in headed sections, recipients
beside the signature, then each table as an appendix in a landscape section whose heading row repeats on
every page. The same docx_form lays out the plans."""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Pt

from chiso.documents.exports import docx_form as form
from chiso.documents.exports.report_texts import ReportDocument
from chiso.documents.exports.xml_text import xml_safe


def report_docx(document: ReportDocument) -> bytes:
    doc = Document()
    form.styles(doc)
    doc.core_properties.title = xml_safe(document.header.subject)[:255]
    doc.core_properties.author = xml_safe(document.header.issuer)[:255]
    doc.core_properties.language = "vi-VN"
    section = doc.sections[0]
    form.page(section, landscape=False)
    form.page_numbers(section)
    form.letterhead(doc, document.header)
    form.title(doc, document.header)
    form.body(doc, document.body)
    form.closing(doc, document.header)
    for table in document.tables:
        section = form.landscape_section(doc, [
            (f"Phụ lục {table.number}", False), (table.title, False), (document.appendix_subtitle, True)])
        form.data_table(doc, section, table.columns, table.rows, centred=table.centred)
        for note in table.notes:
            form.paragraph(doc, note, size=Pt(12), italic=True, align=None).paragraph_format.space_before = Pt(6)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
