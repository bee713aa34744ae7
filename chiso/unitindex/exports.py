"""The round's documents: the province's result table (.xlsx, and the draft decision with its annex as
.docx), and each unit's score sheet (.xlsx, .docx) with the columns maximum, self, appraisal 1,
explanation, appraisal 2/final, notes. Laid out by documents.exports (Decree 30/2020/NĐ-CP form)."""

from __future__ import annotations

import io
from decimal import Decimal

from docx import Document
from docx.shared import Pt
from openpyxl import Workbook

from chiso.documents.exports import docx_form as form
from chiso.documents.exports.appendix_table import Column, TaskRow
from chiso.documents.exports.docx_form import DocumentHeader
from chiso.documents.exports.plan_texts import BodyLine
from chiso.documents.exports.xlsx_form import table_sheet
from chiso.documents.exports.xml_text import xml_safe
from chiso.unitindex.models import Participant, Round, UnitType
from chiso.unitindex.publication import Standing, standings
from chiso.unitindex.scoring import node_sums, sheet_totals
from chiso.unitindex.services import sheet_entries
from chiso.unitindex.tree import ordered_nodes

SHEET_COLUMNS = [Column("code", "Mã", 1.4), Column("name", "Tiêu chí", 6), Column("max", "Điểm tối đa", 1.3),
                 Column("self", "Tự chấm", 1.3), Column("a1", "Thẩm định lần 1", 1.5),
                 Column("answer", "Giải trình", 4), Column("final", "Điểm cuối cùng", 1.5),
                 Column("notes", "Ghi chú", 3)]
RESULT_COLUMNS = [Column("rank", "Xếp hạng", 1), Column("unit", "Đơn vị", 5), Column("self", "Tự chấm", 1.3),
                  Column("appraised", "Điểm thẩm định", 1.5), Column("survey", "Điểm điều tra", 1.3),
                  Column("bonus", "Điểm thưởng", 1.2), Column("penalty", "Điểm trừ", 1.2),
                  Column("total", "Tổng điểm", 1.3), Column("max", "Điểm tối đa áp dụng", 1.5),
                  Column("percent", "Tỷ lệ (%)", 1.2), Column("class", "Xếp loại", 1.5)]
NUMBERS = ("max", "self", "a1", "final", "rank", "appraised", "survey", "bonus", "penalty", "total", "percent")


def sheet_rows(sheet: Participant) -> list[TaskRow]:
    """Fields and criteria as bold subtotal rows, criteria scored as plain rows, in tree order."""
    entries = {e.node_id: e for e in sheet_entries(sheet)}
    nodes = ordered_nodes(sheet.framework)
    applicable = {pk: e for pk, e in entries.items() if not e.not_applicable}
    sums = {key: node_sums(nodes, {pk: v for pk, e in applicable.items() if (v := getattr(e, attr)) is not None})
            for key, attr in (("self", "self_score"), ("a1", "appraisal1_score"), ("final", "standing_score"))}
    rows = []
    for node in nodes:
        entry = entries.get(node.pk)
        values: dict[str, str | int | Decimal] = {"code": node.code, "name": node.name_vi,
                                                  "max": node.max_points if node.max_points is not None else ""}
        for key in ("self", "a1", "final"):
            values[key] = sums[key].get(node.pk, "")
        if entry is not None and entry.not_applicable:
            values.update({"self": "", "a1": "", "final": "", "notes": "Không áp dụng"})
        elif entry is not None:
            values["answer"] = entry.answer
            values["notes"] = "; ".join(t for t in (entry.appraisal1_comment, entry.final_comment) if t)
        rows.append(TaskRow(values, bold=entry is None))
    return rows


def _heading(sheet: Participant) -> list[tuple[str, bool]]:
    return [("PHIẾU CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH", False),
            (f"{sheet.unit.name} — năm {sheet.round.year}", False), (sheet.round.name, True)]


def sheet_xlsx(sheet: Participant) -> bytes:
    workbook = Workbook()
    table_sheet(workbook.active, _heading(sheet), SHEET_COLUMNS, sheet_rows(sheet), centred=NUMBERS)
    workbook.active.title = "Phiếu chấm điểm"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _docx(header: DocumentHeader, lines: list[str], heading: list[tuple[str, bool]], columns: list[Column],
          rows: list[TaskRow]) -> bytes:
    doc = Document()
    form.styles(doc)
    doc.core_properties.title = xml_safe(header.subject)[:255]
    doc.core_properties.language = "vi-VN"
    section = doc.sections[0]
    form.page(section, landscape=False)
    form.page_numbers(section)
    form.letterhead(doc, header)
    form.title(doc, header)
    form.body(doc, [BodyLine(text, "paragraph") for text in lines])
    form.closing(doc, header)
    section = form.landscape_section(doc, heading)
    form.data_table(doc, section, columns, rows, centred=NUMBERS)
    form.paragraph(doc, "", size=Pt(12))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _vn(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def sheet_docx(sheet: Participant) -> bytes:
    totals = sheet_totals(sheet, sheet_entries(sheet))
    year = sheet.round.year
    header = DocumentHeader(
        issuer=sheet.unit.name, number_line="Số:      /BC", place_date_line=f"ngày      tháng      năm {year + 1}",
        kind="BÁO CÁO", subject=f"Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {year}",
        recipients=["- Sở Nội vụ;", "- Lưu: VT."], signature=["THỦ TRƯỞNG ĐƠN VỊ"])
    lines = [f"Tổng điểm tự chấm: {_vn(totals.self_total)} điểm; điểm thẩm định: {_vn(totals.appraised)} điểm; "
             f"điểm điều tra xã hội học: {_vn(totals.survey)} điểm; điểm thưởng: {_vn(totals.bonus)}; "
             f"điểm trừ: {_vn(totals.penalty)}.",
             f"Tổng điểm: {_vn(totals.total)}/{_vn(totals.applicable_max)} điểm, đạt {_vn(totals.percent)}%.",
             "Chi tiết tại Phụ lục kèm theo."]
    return _docx(header, lines, [("Phụ lục", False), *_heading(sheet)[:2]], SHEET_COLUMNS, sheet_rows(sheet))


def result_rows(rows: list[Standing], unit_type: str) -> list[TaskRow]:
    return [TaskRow({"rank": row.rank, "unit": row.participant.unit.name, "self": row.totals.self_total,
                     "appraised": row.totals.appraised, "survey": row.totals.survey, "bonus": row.totals.bonus,
                     "penalty": row.totals.penalty, "total": row.totals.total, "max": row.totals.applicable_max,
                     "percent": row.totals.percent, "class": row.klass})
            for row in rows if row.participant.unit_type == unit_type]


def results_xlsx(round_: Round) -> bytes:
    rows = standings(round_)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for unit_type in UnitType:
        chosen = result_rows(rows, unit_type)
        if chosen:
            sheet = workbook.create_sheet(str(unit_type.label)[:31])
            table_sheet(sheet, [(f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {round_.year}", False),
                                (str(unit_type.label), False), (round_.decision_text or round_.name, True)],
                        RESULT_COLUMNS, chosen, centred=NUMBERS)
    if not workbook.worksheets:
        workbook.create_sheet("Kết quả")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def decision_docx(round_: Round) -> bytes:
    """The draft decision publishing the results, its annex the ranking of each unit type."""
    rows = standings(round_)
    header = DocumentHeader(
        issuer=f"ỦY BAN NHÂN DÂN {round_.province.designation.upper()}", number_line="Số:      /QĐ-UBND",
        place_date_line="ngày      tháng      năm", kind="QUYẾT ĐỊNH",
        subject=f"Công bố Chỉ số cải cách hành chính năm {round_.year} của các sở, ban, ngành và UBND các xã, phường",
        recipients=["- Như Điều 3;", "- Lưu: VT, SNV."], signature=["CHỦ TỊCH"])
    lines = [f"Điều 1. Công bố Chỉ số cải cách hành chính năm {round_.year} của các cơ quan, đơn vị (Phụ lục kèm theo).",
             "Điều 2. Các cơ quan, đơn vị căn cứ kết quả được công bố, xây dựng kế hoạch khắc phục hạn chế.",
             "Điều 3. Quyết định này có hiệu lực kể từ ngày ký."]
    annex = [row for unit_type in UnitType for row in result_rows(rows, unit_type)]
    return _docx(header, lines, [("Phụ lục", False), (f"KẾT QUẢ CHỈ SỐ CCHC NĂM {round_.year}", False)],
                 RESULT_COLUMNS, annex)
