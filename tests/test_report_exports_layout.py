"""How a unit's report lays its table out: a TT column wide enough for '3.2.1' on one line, and no empty
'Chỉ tiêu' column taking the room of the results."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.shared import Mm

from chiso.documents.exports.report_data import consolidated_report
from chiso.documents.exports.report_docx import report_docx
from chiso.documents.exports.unit_report_data import unit_report_document
from chiso.plans.models import Task
from tests.monitoring_helpers import minhxuan_report, quarter_three
from tests.test_report_exports_totals import AFTER_THE_PERIOD

pytestmark = pytest.mark.django_db
# 'TT' values such as '10.2.1' in 12 pt Times New Roman with the cell's margins.
TT_WIDTH = Mm(16)


def _headings(table) -> list[str]:  # type: ignore[no-untyped-def]
    return [cell.text for cell in table.rows[0].cells]


def test_a_units_report_hides_the_empty_target_column_and_keeps_tt_on_one_line(demo_plan):
    report = minhxuan_report(demo_plan)
    tasks = Task.objects.filter(assignments__report_lines__report=report)
    tasks.update(target="")
    doc = Document(io.BytesIO(report_docx(unit_report_document(report))))
    results = doc.tables[2]
    assert "Chỉ tiêu" not in _headings(results)
    assert results.columns[0].width >= TT_WIDTH

    tasks.filter(pk=tasks.order_by("id").first().pk).update(target="100% hồ sơ")
    doc = Document(io.BytesIO(report_docx(unit_report_document(report))))
    results = doc.tables[2]
    assert "Chỉ tiêu" in _headings(results)
    assert results.columns[0].width >= TT_WIDTH


def test_the_consolidated_reports_task_tables_keep_tt_on_one_line(demo_plan):
    doc = Document(io.BytesIO(report_docx(consolidated_report(quarter_three(demo_plan), None, AFTER_THE_PERIOD))))
    for table in doc.tables[3:5]:
        assert _headings(table)[0] == "TT" and table.columns[0].width >= TT_WIDTH
