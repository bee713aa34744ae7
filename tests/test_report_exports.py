"""The report documents read back: the consolidated report of a period (python-docx and openpyxl) has the
decree's first page, one landscape appendix per part with a repeated heading row, and exactly the rows the
data gives; a unit's report lists its lines and evidence as the version or the draft holds them."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from openpyxl import load_workbook

from chiso.documents.exports.report_data import consolidated_report, cut_off
from chiso.documents.exports.report_docx import report_docx
from chiso.documents.exports.report_xlsx import report_xlsx
from chiso.documents.exports.unit_report_data import unit_report_document
from chiso.documents.exports.xlsx_form import TABLE_HEADING_ROW
from chiso.monitoring.models import LineStatus, ReportStatus
from chiso.monitoring.reports.evidence import check_evidence
from chiso.monitoring.reports.services import (
    LineData,
    accept_report,
    add_evidence,
    return_report,
    save_line,
    submit_report,
)
from chiso.plans.models import Assignment
from tests.monitoring_helpers import minhxuan_report, pdf_bytes, quarter_three, user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Evidence files go to a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
AFTER_THE_PERIOD = dt.date(2025, 10, 20)


def _heading_repeats(table) -> bool:  # type: ignore[no-untyped-def]
    first = table.rows[0]._tr.trPr
    rest = [row._tr.trPr for row in table.rows[1:]]
    return (first is not None and first.find(qn("w:tblHeader")) is not None
            and all(p is None or p.find(qn("w:tblHeader")) is None for p in rest))


def _minhxuan_submitted(plan, *, accept: bool):  # type: ignore[no-untyped-def]
    report = minhxuan_report(plan)
    lines = list(report.lines.order_by("assignment__task__order", "id"))
    save_line(lines[0], LineData(status=LineStatus.DONE, progress=100, work_done="Đã ban hành quyết định.",
                                 indicator_value="95.5"), expected_version=lines[0].lock_version)
    save_line(lines[1], LineData(status=LineStatus.CANNOT_DO, reason="Chưa được cấp kinh phí."),
              expected_version=lines[1].lock_version)
    add_evidence(lines[0], check_evidence(io.BytesIO(pdf_bytes()), "Quyết định 12.pdf"), user("focal_point"))
    submit_report(report, user("leader"))
    if accept:
        accept_report(report, user("coordinator"), notify=False)
    return report, lines


def test_the_consolidated_report_is_in_the_decrees_form_with_four_landscape_appendices(demo_plan):
    period = quarter_three(demo_plan)
    document = consolidated_report(period, user("coordinator").unit, AFTER_THE_PERIOD)
    doc = Document(io.BytesIO(report_docx(document)))
    assert doc.sections[0].orientation == WD_ORIENT.PORTRAIT
    assert [s.orientation for s in doc.sections[1:]] == [WD_ORIENT.LANDSCAPE] * 4
    left, right = doc.tables[0].rows[0].cells
    assert left.paragraphs[0].text == "ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG"
    assert left.paragraphs[1].text == "SỞ NỘI VỤ" and left.paragraphs[1].runs[0].bold
    assert any(p.text == "Số:      /BC-SNV" for p in left.paragraphs)
    assert "Độc lập - Tự do - Hạnh phúc" in right.text
    texts = [p.text for p in doc.paragraphs]
    kind = texts.index("BÁO CÁO")
    assert texts[kind + 1].startswith("Kết quả thực hiện Kế hoạch duy trì") and texts[kind + 1].endswith("kỳ Quý III/2025")
    assert [t for t in texts if t[:3] in ("I. ", "II.", "III", "IV.")] == [
        "I. KẾT QUẢ CHUNG", "II. KẾT QUẢ THỰC HIỆN TỪNG NHIỆM VỤ", "III. NHIỆM VỤ CHẬM TIẾN ĐỘ",
        "IV. ĐƠN VỊ CHƯA GỬI BÁO CÁO"]
    assert [t for t in texts if t.startswith("Phụ lục ")] == ["Phụ lục 01", "Phụ lục 02", "Phụ lục 03", "Phụ lục 04"]
    signature = [p.text for p in doc.tables[1].rows[0].cells[1].paragraphs if p.text]
    assert signature == ["GIÁM ĐỐC"]
    appendices = doc.tables[2:]
    assert len(appendices) == 4 and all(_heading_repeats(t) for t in appendices)
    for table, part in zip(appendices, document.tables, strict=True):
        assert len(table.rows) == 1 + len(part.rows)
        assert [c.text for c in table.rows[0].cells] == [c.heading for c in part.columns]


def test_the_viewer_at_the_peoples_committee_gets_the_committees_report(demo_plan):
    document = consolidated_report(quarter_three(demo_plan), user("viewer").unit, AFTER_THE_PERIOD)
    assert document.header.issuer == demo_plan.issuer and document.header.number_line.endswith("/BC-UBND")
    assert document.header.signature == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def test_the_summary_counts_every_assignment_once_and_each_index_by_its_nodes(demo_plan):
    period = quarter_three(demo_plan)
    _minhxuan_submitted(demo_plan, accept=True)
    summary = consolidated_report(period, None, AFTER_THE_PERIOD).tables[0]
    total = summary.rows[-1].values
    assert total["name"] == "Tổng cộng"
    assert int(total["assigned"]) == Assignment.objects.filter(task__plan=demo_plan).count()
    # Sở KH&CN's accepted demo report says one task done and two in progress; Minh Xuân one done.
    assert (total["done"], total["in_progress"]) == (2, 2)
    index_rows = [row for row in summary.rows[:-1] if row.bold]
    assert [row.values["name"] for row in index_rows] == ["Chỉ số PAR INDEX", "Chỉ số PAPI", "Chỉ số SIPAS"]
    for position, row in enumerate(summary.rows[:-1]):
        if not row.bold:
            continue
        following = summary.rows[position + 1:]
        nodes = [r for r in following[:next((i for i, r in enumerate(following) if r.bold), len(following))]]
        assert sum(int(r.values["assigned"]) for r in nodes) >= int(row.values["assigned"])


def test_the_task_table_has_a_row_per_task_per_reporting_unit_and_one_for_the_rest(demo_plan):
    period = quarter_three(demo_plan)
    report, lines = _minhxuan_submitted(demo_plan, accept=False)
    document = consolidated_report(period, None, AFTER_THE_PERIOD)
    detail = document.tables[1]
    task_rows = [row for row in detail.data_rows if row.bold]
    assert len(task_rows) == demo_plan.tasks.count()
    unit_rows = [row for row in detail.data_rows if not row.bold and not row.values.get("status", "").startswith("Chưa báo cáo")]
    # Sở KH&CN (accepted, 31 lines) and Minh Xuân (waiting for review): one row per line of each.
    assert len(unit_rows) == 31 + len(lines)
    mine = [row for row in unit_rows if row.values["unit"] == "Phường Minh Xuân (*)"]
    assert len(mine) == len(lines)
    first = next(row for row in mine if row.values["work_done"] == "Đã ban hành quyết định.")
    assert first.values["status"] == "Đã hoàn thành" and first.values["indicator"] == Decimal("95.5")
    assert first.values["evidence"] == 1
    assert any(row.values["status"] == "Không thực hiện được\nLý do: Chưa được cấp kinh phí." for row in mine)
    assert detail.notes and detail.notes[0].startswith("(*)")
    basis = document.body[1].text
    assert "1 báo cáo đang chờ thẩm định" in basis and "Phường Minh Xuân (lần gửi 1)" in basis


def test_a_returned_report_does_not_count_and_its_unit_has_not_reported(demo_plan):
    period = quarter_three(demo_plan)
    report, _lines = _minhxuan_submitted(demo_plan, accept=False)
    return_report(report, user("coordinator"), "Bổ sung minh chứng.", notify=False)
    document = consolidated_report(period, None, AFTER_THE_PERIOD)
    assert not any("Minh Xuân" in row.values.get("unit", "") for row in document.tables[1].data_rows)
    missing = {row.values["unit"]: row.values for row in document.tables[3].rows}
    assert missing["Phường Minh Xuân"]["state"] == "Bị trả lại, chưa gửi lại"
    assert missing["Phường Hà Giang 1"]["state"] == "Đang soạn (dự thảo)"
    assert "Sở Khoa học và Công nghệ" not in missing
    owing = Assignment.objects.filter(task__plan=demo_plan).values("unit_id").distinct().count()
    assert len(missing) == owing - 1
    assert missing["Phường Minh Xuân"]["due"] == "15/9/2025"
    assert missing["Phường Minh Xuân"]["days"] == (AFTER_THE_PERIOD - period.due_date).days


def test_late_tasks_are_those_due_before_the_cut_off_and_not_reported_done(demo_plan):
    period = quarter_three(demo_plan)
    assert cut_off(period, AFTER_THE_PERIOD) == dt.date(2025, 10, 1)
    assert cut_off(period, dt.date(2025, 8, 1)) == dt.date(2025, 8, 1)
    late = consolidated_report(period, None, AFTER_THE_PERIOD).tables[2]
    due_in_period = (Assignment.objects.filter(task__plan=demo_plan, due_date__lt=dt.date(2025, 10, 1))
                     .values("task_id").distinct().count())
    assert len(late.rows) == due_in_period > 0
    assert sum(int(row.values["count"].split("/")[0]) for row in late.rows) == Assignment.objects.filter(
        task__plan=demo_plan, due_date__lt=dt.date(2025, 10, 1)).count()
    # Before any task falls due nothing is late, and the document says so.
    early = consolidated_report(period, None, dt.date(2025, 7, 2)).tables[2]
    assert not early.rows and early.notes == ["Không có nhiệm vụ nào chậm tiến độ."]


def test_the_consolidated_workbook_has_a_sheet_per_part_with_the_same_rows(demo_plan):
    document = consolidated_report(quarter_three(demo_plan), user("coordinator").unit, AFTER_THE_PERIOD)
    book = load_workbook(io.BytesIO(report_xlsx(document)))
    assert book.sheetnames == ["Thông tin", "I. Tổng hợp theo chỉ số", "II. Từng nhiệm vụ", "III. Chậm tiến độ",
                               "IV. Chưa báo cáo"]
    info = {row[0].value: row[1].value for row in book["Thông tin"].iter_rows()}
    assert info["Cơ quan ban hành"] == "Sở Nội vụ" and info["Kỳ báo cáo"].startswith("Quý III/2025")
    for part, name in zip(document.tables, book.sheetnames[1:], strict=True):
        sheet = book[name]
        assert sheet.print_title_rows == f"${TABLE_HEADING_ROW}:${TABLE_HEADING_ROW}"
        assert sheet.freeze_panes == f"A{TABLE_HEADING_ROW + 1}"
        assert sheet.page_setup.orientation == "landscape"
        headings = [c.value for c in sheet[TABLE_HEADING_ROW]]
        assert headings == [c.heading for c in part.columns]
        rows = [r for r in sheet.iter_rows(min_row=TABLE_HEADING_ROW + 1, max_col=len(part.columns), values_only=True)
                if any(r) and not str(r[0] or "").startswith(("Lượt giao:", "(*)"))]
        assert len(rows) == len(part.rows)


def test_a_units_version_is_issued_by_the_unit_and_lists_its_lines_and_evidence(demo_plan):
    report, lines = _minhxuan_submitted(demo_plan, accept=True)
    version = report.versions.get(number=1)
    document = unit_report_document(report, version)
    doc = Document(io.BytesIO(report_docx(document)))
    left = doc.tables[0].rows[0].cells[0]
    assert left.paragraphs[0].text == "ỦY BAN NHÂN DÂN PHƯỜNG MINH XUÂN"
    assert any(p.text == "Số:      /BC-UBND" for p in left.paragraphs)
    date = doc.tables[0].rows[0].cells[1].paragraphs[-1].text
    assert date.startswith("Tuyên Quang, ngày ") and "     " not in date, "a version is dated the day it was sent"
    signature = [p.text for p in doc.tables[1].rows[0].cells[1].paragraphs if p.text]
    assert signature[:2] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert [s.orientation for s in doc.sections[1:]] == [WD_ORIENT.LANDSCAPE] * 2
    results, evidence = doc.tables[2:]
    assert _heading_repeats(results) and _heading_repeats(evidence)
    assert len(results.rows) == 1 + len(lines)
    assert len(evidence.rows) == 2 and evidence.rows[1].cells[2].text == "Quyết định 12.pdf"
    assert any("kết quả thẩm định: đã chấp nhận" in p.text for p in doc.paragraphs)
    book = load_workbook(io.BytesIO(report_xlsx(document)))
    assert book.sheetnames == ["Thông tin", "Kết quả thực hiện", "Minh chứng"]
    assert book["Kết quả thực hiện"].max_row == TABLE_HEADING_ROW + len(lines)


def test_the_draft_shows_what_the_unit_has_written_since_and_hides_removed_evidence(demo_plan):
    report, lines = _minhxuan_submitted(demo_plan, accept=False)
    return_report(report, user("coordinator"), "Bổ sung kết quả.", notify=False)
    line = lines[2]
    line.refresh_from_db()
    save_line(line, LineData(status=LineStatus.IN_PROGRESS, progress=50, work_done="Đang triển khai."),
              expected_version=line.lock_version)
    draft = unit_report_document(report)
    version = unit_report_document(report, report.versions.get(number=1))
    assert any(r.values["work_done"] == "Đang triển khai." for r in draft.tables[0].rows)
    assert not any(r.values["work_done"] == "Đang triển khai." for r in version.tables[0].rows)
    assert "bị trả lại" in draft.body[-1].text and "chưa phải một lần gửi" in draft.body[-1].text
    assert draft.header.place_date_line.startswith("Tuyên Quang, ngày     tháng")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED


def test_a_department_reports_under_the_peoples_committee(demo_plan):
    from chiso.monitoring.models import UnitReport

    report = UnitReport.objects.get(period=quarter_three(demo_plan), unit__code="so-khoa-hoc-va-cong-nghe")
    header = unit_report_document(report, report.versions.get(number=1)).header
    assert header.issuer_parent == demo_plan.issuer and header.issuer == "Sở Khoa học và Công nghệ"
    assert header.signature == ["GIÁM ĐỐC"]
