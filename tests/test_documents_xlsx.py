"""The .xlsx export: the header data sheet and one sheet per appendix, read back with openpyxl."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from chiso.documents.exports.plan_xlsx import HEADER_SHEET, TABLE_HEADING_ROW, plan_xlsx
from chiso.plans.models import Plan, PlanStatus

# Every test is a database test, so that pytest-django keeps them before the transactional tests, whose
# flush would remove the demo province the module's export is made from.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def exported(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        plan = Plan.objects.get(province__code="tuyen-quang", parent__isnull=True, status=PlanStatus.ISSUED)
        return plan, load_workbook(io.BytesIO(plan_xlsx(plan)))


def _group_rows(sheet) -> set[int]:  # type: ignore[no-untyped-def]
    """Rows whose node name is merged across the task columns."""
    return {r.min_row for r in sheet.merged_cells.ranges if r.min_row > TABLE_HEADING_ROW}


def _task_rows(sheet) -> list[int]:  # type: ignore[no-untyped-def]
    groups = _group_rows(sheet)
    return [row for row in range(TABLE_HEADING_ROW + 1, sheet.max_row + 1) if row not in groups]


def test_one_sheet_for_the_header_and_one_per_appendix(exported):
    _, book = exported
    assert book.sheetnames == [HEADER_SHEET, "Phụ lục 01 PAR INDEX", "Phụ lục 02 PAPI", "Phụ lục 03 SIPAS"]


def test_header_sheet_holds_the_documents_header_data(exported):
    plan, book = exported
    values = {row[0]: row[1] for row in book[HEADER_SHEET].iter_rows(values_only=True)}
    assert values["Cơ quan ban hành"] == plan.issuer
    assert values["Trích yếu"] == plan.title
    assert values["Số, ký hiệu"] == "/KH-UBND"
    assert values["Người ký"].splitlines() == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Hoàng Gia Long"]
    assert values["Nơi nhận"].splitlines()[-1] == "- Lưu: VT, PVHCC, ĐM."
    assert len(values["Chỉ tiêu"].splitlines()) == plan.targets.count()


def test_every_task_is_a_row_and_the_counts_match_the_plan(exported):
    plan, book = exported
    counts = [len(_task_rows(book[name])) for name in book.sheetnames[1:]]
    assert counts == [73, 35, 16]
    assert sum(counts) == plan.tasks.count()


def test_heading_row_is_frozen_and_printed_on_every_page(exported):
    _, book = exported
    for sheet in book.worksheets[1:]:
        assert sheet.freeze_panes == f"A{TABLE_HEADING_ROW + 1}"
        assert sheet.print_title_rows == f"${TABLE_HEADING_ROW}:${TABLE_HEADING_ROW}"
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        heading = [c.value for c in sheet[TABLE_HEADING_ROW]]
        assert heading[0] == "TT" and "Nhiệm vụ, giải pháp" in heading
        assert all(c.font.b for c in sheet[TABLE_HEADING_ROW])


def test_group_rows_are_bold_and_task_cells_wrap(exported):
    _, book = exported
    sheet = book["Phụ lục 01 PAR INDEX"]
    first_group = min(_group_rows(sheet))
    assert sheet.cell(first_group, 1).value == "1" and sheet.cell(first_group, 1).font.b
    assert sheet.cell(first_group, 2).value.lower().startswith("công tác chỉ đạo")
    task_row = _task_rows(sheet)[0]
    content_column = [c.value for c in sheet[TABLE_HEADING_ROW]].index("Nhiệm vụ, giải pháp") + 1
    content = sheet.cell(task_row, content_column)
    assert content.alignment.wrap_text and not content.font.b and content.font.name == "Times New Roman"
    widths = [sheet.column_dimensions[letter].width for letter in "ABC"]
    assert widths[2] > widths[0] > 0, "the task column is the widest"


def test_the_sipas_appendix_has_the_outputs_column(exported):
    _, book = exported
    headings = [[c.value for c in s[TABLE_HEADING_ROW]] for s in book.worksheets[1:]]
    assert ["Sản phẩm/kết quả" in h for h in headings] == [False, False, True]
