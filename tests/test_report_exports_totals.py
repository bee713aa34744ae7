"""The consolidated report agrees with itself: the number of tasks in its body is the total of Phụ lục 01
(tasks with no lead unit yet included, on a line of their own), a task a unit reported done is not late, and the
units that have not reported or are late are named in the unit column, ten at most."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook

from chiso.documents.exports.appendix_table import display
from chiso.documents.exports.plan_texts import roman
from chiso.documents.exports.report_data import MISSING_NAMES_SHOWN, consolidated_report
from chiso.documents.exports.report_docx import report_docx
from chiso.documents.exports.report_xlsx import report_xlsx
from chiso.documents.exports.unit_report_data import unit_report_document
from chiso.documents.exports.xlsx_form import TABLE_HEADING_ROW
from chiso.monitoring.models import LineStatus
from chiso.monitoring.reports.services import LineData, save_line, submit_report
from chiso.plans.models import Assignment
from tests.monitoring_helpers import minhxuan_report, quarter_three, user

pytestmark = pytest.mark.django_db
AFTER_THE_PERIOD = dt.date(2025, 10, 20)


def _summary_row(document, name: str):  # type: ignore[no-untyped-def]
    return next(row.values for row in document.tables[0].rows if row.values["name"] == name)


def test_the_body_and_the_summary_count_the_same_tasks(demo_plan):
    unassigned = demo_plan.tasks.filter(assignments__isnull=True).count()
    assert unassigned > 0, "the demo plan has tasks no lead unit was found for"
    document = consolidated_report(quarter_three(demo_plan), None, AFTER_THE_PERIOD)
    results = next(line.text for line in document.body if line.text.startswith("Kế hoạch có "))
    in_body = int(re.match(r"Kế hoạch có (\d+) nhiệm vụ", results)[1])
    total = _summary_row(document, "Tổng cộng")
    assert in_body == int(total["tasks"]) == demo_plan.tasks.count()
    assert f"({unassigned} nhiệm vụ chưa giao đơn vị chủ trì)" in results
    assert int(_summary_row(document, "Nhiệm vụ chưa giao đơn vị chủ trì")["tasks"]) == unassigned
    assert int(total["assigned"]) == Assignment.objects.filter(task__plan=demo_plan).count()


def test_a_task_reported_done_is_not_late(demo_plan):
    period = quarter_three(demo_plan)
    report = minhxuan_report(demo_plan)
    line = report.lines.select_related("assignment__task").order_by("id").first()
    assignment = line.assignment
    assignment.due_date = period.start
    assignment.save(update_fields=["due_date"])

    def late_units(task_number: str) -> str:
        late = consolidated_report(period, None, AFTER_THE_PERIOD).tables[2]
        return next((row.values["units"] for row in late.rows if row.values["number"] == task_number), "")

    assert "Phường Minh Xuân" in late_units(assignment.task.number)
    save_line(line, LineData(status=LineStatus.DONE, progress=100, work_done="Đã xong."),
              expected_version=line.lock_version)
    submit_report(report, user("leader"))
    assert "Phường Minh Xuân" not in late_units(assignment.task.number)


def test_units_without_a_report_are_named_in_the_unit_column_of_phu_luc_02(demo_plan):
    document = consolidated_report(quarter_three(demo_plan), None, AFTER_THE_PERIOD)
    missing = [row.values for row in document.tables[1].data_rows if not row.bold
               and row.values.get("status", "").startswith("Chưa báo cáo")]
    assert missing and all(re.fullmatch(r"Chưa báo cáo \(\d+/\d+ đơn vị\)", row["status"]) for row in missing)
    not_reported = {row.values["unit"] for row in document.tables[3].rows}
    for row in missing:
        names = row["unit"].rsplit(" và ", 1)[0] if row["unit"].endswith(" đơn vị khác") else row["unit"]
        assert set(names.split("; ")) <= not_reported
    assert not any(row.get("work_done") for row in missing)


def test_long_lists_of_late_units_are_cut_as_in_phu_luc_02(demo_plan):
    late = consolidated_report(quarter_three(demo_plan), None, AFTER_THE_PERIOD).tables[2]
    long_rows = [row.values for row in late.rows if int(row.values["count"].split("/")[0]) > MISSING_NAMES_SHOWN]
    assert long_rows, "the demo plan has tasks late at more units than a row lists"
    for row in long_rows:
        late_count = int(row["count"].split("/")[0])
        listed, more = row["units"].rsplit(" và ", 1)
        assert len(listed.split("; ")) == MISSING_NAMES_SHOWN
        assert more == f"{late_count - MISSING_NAMES_SHOWN} đơn vị khác"


def test_report_numbers_are_numbers_in_the_workbook_and_words_in_the_document(demo_plan):
    period = quarter_three(demo_plan)
    report = minhxuan_report(demo_plan)
    line = report.lines.order_by("id").first()
    save_line(line, LineData(status=LineStatus.IN_PROGRESS, progress=40, indicator_value="95.5"),
              expected_version=line.lock_version)
    document = consolidated_report(period, None, AFTER_THE_PERIOD)
    book = load_workbook(io.BytesIO(report_xlsx(document)))
    summary = book["I. Tổng hợp theo chỉ số"]
    total_row = next(row for row in summary.iter_rows(values_only=True) if row[1] == "Tổng cộng")
    assert all(isinstance(value, int | float) for value in total_row[2:])
    assert total_row[3] == Assignment.objects.filter(task__plan=demo_plan).count()
    missing = book["IV. Chưa báo cáo"]
    days = [row[4] for row in missing.iter_rows(min_row=TABLE_HEADING_ROW + 1, values_only=True) if row[4]]
    assert days and all(value == (AFTER_THE_PERIOD - period.due_date).days for value in days)
    unit_book = load_workbook(io.BytesIO(report_xlsx(unit_report_document(report))))
    values = [cell.value for row in unit_book["Kết quả thực hiện"].iter_rows() for cell in row]
    assert 40 in values and 95.5 in values
    share = _summary_row(document, "Tổng cộng")["share"]
    doc = Document(io.BytesIO(report_docx(document)))
    total_cells = next([c.text for c in row.cells] for row in doc.tables[2].rows if row.cells[1].text == "Tổng cộng")
    assert total_cells[-1] == display(share) and ("," in total_cells[-1] or share == share.to_integral())


def test_the_indices_of_the_summary_are_numbered_as_document_sections(demo_plan):
    summary = consolidated_report(quarter_three(demo_plan), None, AFTER_THE_PERIOD).tables[0]
    assert [row.values["number"] for row in summary.rows if row.bold and row.values["number"]] == ["I", "II", "III"]
    assert [roman(n) for n in (1, 4, 9, 12, 13)] == ["I", "IV", "IX", "XII", "13"]
