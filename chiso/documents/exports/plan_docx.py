"""A plan as a .docx in the administrative form of Decree 30/2020/NĐ-CP (Phụ lục I): A4, Times New Roman,
the decree's margins and sizes; the header table with issuer and national motto, number, place and date,
title, body, recipients beside the signature, then each appendix in a landscape section whose table repeats
its heading row on every page. The form itself is laid out by docx_form, shared with the reports."""

from __future__ import annotations

import io

from docx import Document

from chiso.documents.exports import docx_form as form
from chiso.documents.exports import plan_texts as texts
from chiso.documents.exports.appendix_table import AppendixTable, appendix_tables
from chiso.documents.exports.headers import plan_header
from chiso.documents.exports.xml_text import xml_safe
from chiso.plans.models import Plan


def plan_docx(plan: Plan) -> bytes:
    return render(plan, appendix_tables(plan))


def render(plan: Plan, tables: list[AppendixTable]) -> bytes:
    doc = Document()
    form.styles(doc)
    doc.core_properties.title = xml_safe(plan.title)[:255]
    doc.core_properties.author = xml_safe(plan.issuer)[:255]
    doc.core_properties.language = "vi-VN"
    section = doc.sections[0]
    form.page(section, landscape=False)
    form.page_numbers(section)
    header = plan_header(plan)
    form.letterhead(doc, header)
    form.title(doc, header)
    form.body(doc, texts.body_lines(plan))
    form.closing(doc, header)
    subtitle = texts.appendix_subtitle(plan, header.number_line)
    for table in tables:
        section = form.landscape_section(doc, [(f"Phụ lục {table.number}", False), (table.title, False), (subtitle, True)])
        form.data_table(doc, section, table.columns, table.rows, centred={"number", "node", "schedule"})
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
