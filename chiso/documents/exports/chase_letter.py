"""The official reminder letter (công văn đôn đốc) of Sở Nội vụ to the units late with a period's report, in
the form of Decree 30/2020/NĐ-CP for a công văn: the letterhead with the number and, under it, the subject
line "V/v …"; "Kính gửi:" the units; the request; a table of what each unit owes; recipients and signature.
The number and date are left blank for the clerk, as a draft for signing is."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from chiso.documents.exports import docx_form as form
from chiso.documents.exports import headers
from chiso.documents.exports.plan_texts import BLANK, format_recipients, place_and_date, vn_date
from chiso.documents.exports.report_data import _issuer
from chiso.monitoring.models import ReportingPeriod
from chiso.monitoring.reminders.chase import LateUnit
from chiso.orgs.models import Unit

TABLE_WIDTHS = (Mm(12), Mm(63), Mm(90))


@dataclass
class ChaseLetter:
    header: form.DocumentHeader
    subject_line: str
    addressees: list[str]
    paragraphs: list[str]
    rows: list[tuple[str, str]]
    file_stem: str


def owed(item: LateUnit, period: ReportingPeriod) -> str:
    parts = []
    if item.report_late:
        parts.append(f"Chưa gửi báo cáo {period.label} (hạn {vn_date(period.due_date)})")
    if item.overdue_tasks:
        parts.append(f"{item.overdue_tasks:02d} nhiệm vụ quá hạn chưa báo cáo hoàn thành")
    return ";\n".join(parts)


def chase_letter(period: ReportingPeriod, late: list[LateUnit], issuer_unit: Unit | None,
                 today: dt.date) -> ChaseLetter:
    plan = period.plan
    issuer = _issuer(plan, issuer_unit)
    symbol = issuer.symbol.split("-", 1)[-1]  # a công văn's symbol is the issuer's abbreviation alone
    header = form.DocumentHeader(
        issuer=issuer.name, issuer_parent=issuer.parent, number_line=f"Số: {BLANK}/{symbol}",
        place_date_line=place_and_date(plan.place, None, today.year), kind="", subject="",
        recipients=format_recipients(["Như trên", f"{headers.province_plan(plan).owner_unit.name} (báo cáo)"]),
        signature=issuer.signature)
    plan_name = f"Kế hoạch số {plan.reference}" if plan.reference else "Kế hoạch"
    paragraphs = [
        f"Thực hiện {plan_name} về {plan.title[:1].lower()}{plan.title[1:]}, {issuer.name} đã đề nghị các cơ "
        f"quan, đơn vị gửi báo cáo {period.label} trước ngày {vn_date(period.due_date)}.",
        f"Đến ngày {vn_date(today)}, các cơ quan, đơn vị có tên dưới đây chưa gửi báo cáo hoặc còn nhiệm vụ "
        "quá hạn chưa báo cáo kết quả:",
    ]
    closing = (f"{issuer.name} đề nghị Thủ trưởng các cơ quan, đơn vị khẩn trương chỉ đạo hoàn thành, gửi báo cáo "
               "và cập nhật kết quả thực hiện trên hệ thống theo dõi; quá thời hạn trên, "
               f"{issuer.name} tổng hợp, báo cáo {headers.province_plan(plan).owner_unit.name} xem xét, "
               "đánh giá khi chấm điểm thi đua, khen thưởng năm.")
    return ChaseLetter(
        header=header, subject_line=f"V/v đôn đốc gửi báo cáo {period.label}",
        addressees=[item.unit.name for item in late], paragraphs=[*paragraphs, closing],
        rows=[(item.unit.name, owed(item, period)) for item in late],
        file_stem=f"cong van don doc {period.label}")


def chase_docx(letter: ChaseLetter) -> bytes:
    doc = Document()
    form.styles(doc)
    doc.core_properties.title = letter.subject_line[:255]
    doc.core_properties.language = "vi-VN"
    section = doc.sections[0]
    form.page(section, landscape=False)
    form.page_numbers(section)
    form.letterhead(doc, letter.header)
    # A công văn has no title: its subject stands under the number, in 12 pt (Decree 30, Phụ lục I).
    left = doc.tables[-1].rows[0].cells[0]
    form.paragraph(left, letter.subject_line, size=Pt(12))
    greeting = form.paragraph(doc, "Kính gửi:", size=Pt(14), align=WD_ALIGN_PARAGRAPH.CENTER)
    greeting.paragraph_format.space_before = Pt(12)
    for name in letter.addressees:
        form.paragraph(doc, f"- {name};", size=Pt(14), align=WD_ALIGN_PARAGRAPH.CENTER)
    for text in letter.paragraphs[:-1]:
        form.paragraph(doc, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=Pt(6)).paragraph_format \
            .first_line_indent = Mm(12.7)
    table = form.layout_table(doc, TABLE_WIDTHS, style="Table Grid")
    head = table.add_row().cells
    for cell, text in zip(head, ("TT", "Cơ quan, đơn vị", "Nội dung chậm"), strict=True):
        form.cell_text(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    form.repeat_as_heading(table.rows[0])
    for number, (unit, what) in enumerate(letter.rows, start=1):
        cells = table.add_row().cells
        form.cell_text(cells[0], str(number), align=WD_ALIGN_PARAGRAPH.CENTER)
        form.cell_text(cells[1], unit, align=WD_ALIGN_PARAGRAPH.LEFT)
        form.cell_text(cells[2], what, align=WD_ALIGN_PARAGRAPH.LEFT)
    form.paragraph(doc, letter.paragraphs[-1], align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=Pt(6)) \
        .paragraph_format.first_line_indent = Mm(12.7)
    form.closing(doc, letter.header)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
