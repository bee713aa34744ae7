"""The .docx export of a plan: the Decree 30/2020/NĐ-CP form read back with python-docx."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from chiso.accounts.models import User
from chiso.documents.exports import plan_texts
from chiso.documents.exports.plan_docx import plan_docx
from chiso.plans.models import Plan, PlanStatus
from chiso.plans.services import derive_unit_plan
from tests.conftest import USERNAMES

DEMO_TASKS_PER_APPENDIX = [73, 35, 16]


def _demo_plan() -> Plan:
    return Plan.objects.get(province__code="tuyen-quang", parent__isnull=True, status=PlanStatus.ISSUED)


# Every test is a database test, so that pytest-django keeps them before the transactional tests, whose
# flush would remove the demo province the module's export is made from.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def exported(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The demo plan exported once for the module: the demo data is read, never changed."""
    with django_db_blocker.unblock():
        plan = _demo_plan()
        return plan, Document(io.BytesIO(plan_docx(plan)))


def _mm(length) -> float:  # type: ignore[no-untyped-def]
    return length / Mm(1)


def _runs(cell_or_doc):  # type: ignore[no-untyped-def]
    return [run for paragraph in cell_or_doc.paragraphs for run in paragraph.runs]


def is_group_row(row, column_count: int) -> bool:  # type: ignore[no-untyped-def]
    """A group row merges the node name across the task columns: fewer <w:tc> than columns."""
    return len(row._tr.tc_lst) < column_count


def task_rows(table):  # type: ignore[no-untyped-def]
    columns = len(table.columns)
    return [row for row in table.rows[1:] if not is_group_row(row, columns)]


def test_first_section_is_portrait_a4_with_the_decree_margins(exported):
    _, doc = exported
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert round(_mm(section.page_width)) == 210 and round(_mm(section.page_height)) == 297
    assert 20 <= round(_mm(section.top_margin)) <= 25
    assert 20 <= round(_mm(section.bottom_margin)) <= 25
    assert 30 <= round(_mm(section.left_margin)) <= 35
    assert 15 <= round(_mm(section.right_margin)) <= 20


def test_each_appendix_is_a_landscape_section(exported):
    _, doc = exported
    appendices = doc.sections[1:]
    assert len(appendices) == 3
    for section in appendices:
        assert section.orientation == WD_ORIENT.LANDSCAPE
        assert round(_mm(section.page_width)) == 297 and round(_mm(section.page_height)) == 210


def test_letterhead_has_issuer_left_and_national_motto_right(exported):
    plan, doc = exported
    left, right = doc.tables[0].rows[0].cells
    issuer = next(r for r in _runs(left) if r.text == plan.issuer.upper())
    assert issuer.bold and Pt(12) <= issuer.font.size <= Pt(13)
    assert any(r.text == "Số:      /KH-UBND" for r in _runs(left))
    national = next(r for r in _runs(right) if r.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert national.bold and Pt(12) <= national.font.size <= Pt(13)
    motto = next(r for r in _runs(right) if r.text == "Độc lập - Tự do - Hạnh phúc")
    assert motto.bold and Pt(13) <= motto.font.size <= Pt(14)
    date = next(r for r in _runs(right) if r.text.startswith("Tuyên Quang, ngày"))
    assert date.italic and date.text.endswith("năm 2025")
    # The short rules under the issuer and under the motto: a bordered empty paragraph in each column.
    for cell in (left, right):
        assert sum(1 for p in cell.paragraphs if p._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None) == 1


def test_title_and_body_follow_the_decree(exported):
    plan, doc = exported
    paragraphs = doc.paragraphs
    kind = next(p for p in paragraphs if p.text == "KẾ HOẠCH")
    assert kind.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert kind.runs[0].bold and Pt(13) <= kind.runs[0].font.size <= Pt(14)
    subject = paragraphs[paragraphs.index(kind) + 1] if kind in paragraphs else None
    assert subject is not None and subject.text == plan.title and subject.runs[0].bold
    body = [p for p in paragraphs if p.text.startswith("Căn cứ Nghị quyết số 76/NQ-CP")]
    assert len(body) == 1
    assert body[0].alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert body[0].paragraph_format.first_line_indent > 0
    assert Pt(13) <= doc.styles["Normal"].font.size <= Pt(14)
    headings = [p.text for p in paragraphs if p.text.endswith("TỔ CHỨC THỰC HIỆN")]
    assert headings == ["IV. TỔ CHỨC THỰC HIỆN"], "the body's own section is not printed twice"


def test_recipients_beside_the_signature(exported):
    plan, doc = exported
    left, right = doc.tables[1].rows[0].cells
    heading = left.paragraphs[0].runs[0]
    assert heading.text == "Nơi nhận:" and heading.bold and heading.italic and heading.font.size == Pt(12)
    entries = [p.runs[0] for p in left.paragraphs[1:]]
    assert [r.text for r in entries][0] == "- Bộ Nội vụ;"
    assert entries[-1].text == "- Lưu: VT, PVHCC, ĐM."
    assert all(r.font.size == Pt(11) for r in entries)
    signature = [p.text for p in right.paragraphs if p.text]
    assert signature == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Hoàng Gia Long"]


def test_times_new_roman_everywhere(exported):
    _, doc = exported
    fonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert {fonts.get(qn(slot)) for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")} == {"Times New Roman"}
    assert doc.styles["Normal"].font.name == "Times New Roman"
    # The table text style inherits Normal's font rather than naming another.
    assert doc.styles["Chiso Bảng"].base_style.name == "Normal" and doc.styles["Chiso Bảng"].font.name is None
    explicit = {r.font.name for r in _runs(doc)} | {
        r.font.name for t in doc.tables for row in t.rows for c in row.cells for r in _runs(c)}
    assert explicit <= {None, "Times New Roman"}


def test_appendix_tables_repeat_their_heading_row_and_hold_every_task(exported):
    plan, doc = exported
    appendices = doc.tables[2:]
    assert [len(task_rows(t)) for t in appendices] == DEMO_TASKS_PER_APPENDIX
    assert sum(DEMO_TASKS_PER_APPENDIX) == plan.tasks.count()
    for table in appendices:
        heading = table.rows[0]
        trPr = heading._tr.trPr
        assert trPr is not None and trPr.find(qn("w:tblHeader")) is not None
        assert all(trPr.find(qn("w:tblHeader")) is None for row in table.rows[1:] if (trPr := row._tr.trPr) is not None)
        texts = [c.text for c in heading.cells]
        assert texts[0] == "TT" and "Nhiệm vụ, giải pháp" in texts and "Cơ quan chủ trì" in texts
        assert all(r.bold for c in heading.cells for r in _runs(c))


def test_group_rows_are_bold_and_name_the_node(exported):
    _, doc = exported
    par_index = doc.tables[2]
    groups = [row for row in par_index.rows[1:] if is_group_row(row, len(par_index.columns))]
    first = groups[0]
    assert first.cells[0].text == "1"
    assert first.cells[1].text.lower().startswith("công tác chỉ đạo")
    assert all(r.bold for c in (first.cells[0], first.cells[1]) for r in _runs(c))


def test_columns_are_the_ones_the_appendix_uses(exported):
    _, doc = exported
    headings = [[c.text for c in t.rows[0].cells] for t in doc.tables[2:]]
    # Only the SIPAS appendix prints outputs (Sản phẩm/kết quả); none prints a monitoring unit.
    assert ["Sản phẩm/kết quả" in h for h in headings] == [False, False, True]
    assert not any("Đơn vị theo dõi" in h for h in headings)
    # Each demo task stands under one node: the column naming further nodes would be empty, so it is left out.
    assert headings[0][1] == "Nhiệm vụ, giải pháp"
    assert not any("Lĩnh vực/Tiêu chí/Tiêu chí thành phần" in h for h in headings)


def test_a_task_row_prints_the_document_wording(exported):
    plan, doc = exported
    task = plan.tasks.order_by("order").first()
    row = task_rows(doc.tables[2])[0]
    headings = [c.text for c in doc.tables[2].rows[0].cells]
    by_heading = dict(zip(headings, (c.text for c in row.cells), strict=True))
    assert by_heading["TT"] == task.number
    assert by_heading["Nhiệm vụ, giải pháp"] == task.content
    assert by_heading["Cơ quan chủ trì"] == task.lead_text
    assert by_heading["Cơ quan phối hợp"] == task.coordinating_text
    assert by_heading["Thời gian thực hiện"] == task.schedule_text


def test_a_units_derived_plan_exports_the_same_way(demo_plan):
    unit = User.objects.get(username=USERNAMES["focal_point"]).unit
    own = derive_unit_plan(demo_plan, unit)
    doc = Document(io.BytesIO(plan_docx(own)))
    assert [s.orientation for s in doc.sections][1:] == [WD_ORIENT.LANDSCAPE] * (len(doc.sections) - 1)
    assert sum(len(task_rows(t)) for t in doc.tables[2:]) == own.tasks.count() > 0
    assert unit.name.upper() in doc.tables[0].rows[0].cells[0].text


def test_dates_and_numbers_take_the_decrees_leading_zeros():
    plan = Plan(place="Tuyên Quang", number="5", symbol="KH-UBND", issued_on=dt.date(2025, 1, 5))
    assert plan_texts.place_date_line(plan) == "Tuyên Quang, ngày 05 tháng 01 năm 2025"
    assert plan_texts.number_line(plan) == "Số: 05/KH-UBND"
    plan.issued_on, plan.number = dt.date(2025, 6, 20), "154"
    assert plan_texts.place_date_line(plan) == "Tuyên Quang, ngày 20 tháng 6 năm 2025"
    assert plan_texts.number_line(plan) == "Số: 154/KH-UBND"


def test_recipients_end_with_semicolons_and_a_full_stop():
    plan = Plan(recipients=["Bộ Nội vụ;", "- Các Sở, ban, ngành", "Lưu: VT."])
    assert plan_texts.recipient_lines(plan) == ["- Bộ Nội vụ;", "- Các Sở, ban, ngành;", "- Lưu: VT."]


def test_body_sections_without_their_own_headings_are_numbered():
    plan = Plan(purpose="1. Mục đích\nXác định nhiệm vụ.", body="Nội dung.", implementation="Sở Nội vụ theo dõi.")
    lines = [(line.kind, line.text) for line in plan_texts.body_lines(plan)]
    assert lines == [
        ("heading", "I. MỤC ĐÍCH, YÊU CẦU"), ("subheading", "1. Mục đích"), ("paragraph", "Xác định nhiệm vụ."),
        ("heading", "II. NỘI DUNG, NHIỆM VỤ, GIẢI PHÁP"), ("paragraph", "Nội dung."),
        ("heading", "III. TỔ CHỨC THỰC HIỆN"), ("paragraph", "Sở Nội vụ theo dõi."),
    ]
