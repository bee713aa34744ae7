"""What users type reaches the exported files as text: a task's '=HYPERLINK(…)' or '=100% hồ sơ' is not a live
spreadsheet formula, and control characters pasted from old documents (Word's \\x0b line break, \\x0c page
break, stray \\x01) neither crash the .docx nor the .xlsx writer."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from chiso.documents.exports.plan_docx import plan_docx
from chiso.documents.exports.plan_xlsx import plan_xlsx
from chiso.documents.exports.report_docx import report_docx
from chiso.documents.exports.report_xlsx import report_xlsx
from chiso.documents.exports.unit_report_data import unit_report_document
from chiso.documents.exports.xml_text import xml_safe
from chiso.monitoring.models import LineStatus
from chiso.monitoring.reports.services import LineData, save_line
from chiso.plans.services import derive_unit_plan
from tests.monitoring_helpers import minhxuan_report, user

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("#Thông tin!A1";"Bấm vào đây")'
SHARE = "=100% hồ sơ được số hóa"


def _cells(book):  # type: ignore[no-untyped-def]
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]


def _units_plan(demo_plan):  # type: ignore[no-untyped-def]
    return derive_unit_plan(demo_plan, user("focal_point").unit)


def test_text_that_looks_like_a_formula_stays_text_in_the_plans_xlsx(demo_plan):
    plan = _units_plan(demo_plan)
    task = plan.tasks.order_by("order").first()
    task.content, task.target = LINK, SHARE
    task.save()
    plan.title = "=1+1"
    plan.save()
    cells = _cells(load_workbook(io.BytesIO(plan_xlsx(plan))))
    written = {cell.value: cell for cell in cells}
    for text in (LINK, SHARE, "=1+1"):
        assert written[text].data_type == "s", text
    assert not [cell for cell in cells if cell.data_type == "f"]


def test_text_that_looks_like_a_formula_stays_text_in_a_reports_xlsx(demo_plan):
    report = minhxuan_report(demo_plan)
    line = report.lines.order_by("id").first()
    save_line(line, LineData(status=LineStatus.CANNOT_DO, work_done=LINK, reason=SHARE),
              expected_version=line.lock_version)
    report.summary = "=SUM(A1:A9)"
    report.save()
    cells = _cells(load_workbook(io.BytesIO(report_xlsx(unit_report_document(report)))))
    assert {LINK, SHARE} <= {cell.value for cell in cells}
    assert any(cell.value and "=SUM(A1:A9)" in cell.value for cell in cells)
    assert not [cell for cell in cells if cell.data_type == "f"]


def test_xml_safe_turns_word_breaks_into_line_breaks_and_drops_the_rest():
    assert xml_safe("Dòng một\x0bdòng hai\x0cdòng ba") == "Dòng một\ndòng hai\ndòng ba"
    assert xml_safe("Tab\tvà\x01\x02\x1f\x7f xuống\r\ndòng\ufffe") == "Tab\tvà\x7f xuống\r\ndòng"
    assert xml_safe("") == ""


def test_control_characters_do_not_break_the_plans_exports(demo_plan):
    plan = _units_plan(demo_plan)
    task = plan.tasks.order_by("order").first()
    task.content = "Rà soát\x0bthủ tục\x01 hành chính\x0ccấp xã"
    task.notes = "Ghi\x07chú"
    task.save()
    plan.title = "Kế hoạch\x0b2025"
    plan.recipients = ["Sở Nội vụ\x08", "Lưu: VT"]
    plan.save()
    doc = Document(io.BytesIO(plan_docx(plan)))
    texts = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    assert "Rà soát\nthủ tục hành chính\ncấp xã" in texts and "Ghichú" in texts
    values = {cell.value for cell in _cells(load_workbook(io.BytesIO(plan_xlsx(plan))))}
    assert "Rà soát\nthủ tục hành chính\ncấp xã" in values and "Ghichú" in values


def test_control_characters_do_not_break_a_reports_exports(demo_plan):
    report = minhxuan_report(demo_plan)
    line = report.lines.order_by("id").first()
    save_line(line, LineData(status=LineStatus.IN_PROGRESS, progress=50, work_done="Đã họp\x0bđã ban hành\x02"),
              expected_version=line.lock_version)
    report.summary = "Đánh giá\x0cchung\x1b"
    report.save()
    document = unit_report_document(report)
    doc = Document(io.BytesIO(report_docx(document)))
    texts = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    assert "Đã họp\nđã ban hành" in texts
    assert any(p.text in ("Đánh giá", "chung") for p in doc.paragraphs)
    values = {cell.value for cell in _cells(load_workbook(io.BytesIO(report_xlsx(document))))}
    assert "Đã họp\nđã ban hành" in values
