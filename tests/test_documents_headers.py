"""The decree's letterhead and closing of documents a unit issues: a unit's derived plan is headed and
signed as the unit (parent line, symbol with the unit's abbreviation, recipients ending in 'Lưu: VT',
the head's signature), whatever the derived plan leaves empty."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from docx import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt

from chiso.documents.exports import plan_texts, report_texts
from chiso.documents.exports.docx_form import (
    CELL_MARGINS,
    DocumentHeader,
    letterhead,
    longest_line,
    text_length,
)
from chiso.documents.exports.headers import abbreviation, plan_header, unit_issuer
from chiso.documents.exports.plan_docx import plan_docx
from chiso.orgs.models import Unit, UnitKind
from chiso.plans.services import derive_unit_plan
from tests.monitoring_helpers import user

pytestmark = pytest.mark.django_db


def _unit(code: str) -> Unit:
    return Unit.objects.get(province__code="tuyen-quang", code=code)


def _lines(cell) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.text for p in cell.paragraphs if p.text]


@pytest.mark.parametrize(("short_name", "name", "expected"), [
    ("Sở KH&CN", "Sở Khoa học và Công nghệ", "SKHCN"),
    ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo", "SGDĐT"),
    ("VP UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh", "VPUBND"),
    ("SNV", "Sở Nội vụ", "SNV"),
    ("Công an tỉnh", "Công an tỉnh Tuyên Quang", "CATTQ"),
    ("", "Ban Quản lý các khu công nghiệp", "BQLCKCN"),
])
def test_the_symbol_takes_the_units_abbreviation(short_name, name, expected):
    assert abbreviation(Unit(name=name, short_name=short_name, kind=UnitKind.DEPARTMENT)) == expected


def test_a_departments_report_and_plan_symbols_name_it(demo_plan):
    science = _unit("so-khoa-hoc-va-cong-nghe")
    assert unit_issuer(science, demo_plan).symbol == "BC-SKHCN"
    assert unit_issuer(_unit("so-giao-duc-va-dao-tao"), demo_plan, kind="KH").symbol == "KH-SGDĐT"
    assert unit_issuer(_unit("van-phong-ubnd-tinh"), demo_plan).symbol == "BC-VPUBND"
    assert unit_issuer(_unit("phuong-minh-xuan"), demo_plan).symbol == "BC-UBND"


def test_a_departments_derived_plan_has_the_decrees_letterhead_and_closing(demo_plan):
    science = _unit("so-khoa-hoc-va-cong-nghe")
    doc = Document(io.BytesIO(plan_docx(derive_unit_plan(demo_plan, science))))
    left, _right = doc.tables[0].rows[0].cells
    assert _lines(left) == ["ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Số:      /KH-SKHCN"]
    texts = [p.text for p in doc.paragraphs]
    subject = texts[texts.index("KẾ HOẠCH") + 1]
    assert subject.startswith("Thực hiện Kế hoạch") and "của Ủy ban nhân dân tỉnh Tuyên Quang về duy trì" in subject
    recipients, signature = doc.tables[1].rows[0].cells
    assert _lines(recipients) == ["Nơi nhận:", "- UBND tỉnh (báo cáo);", "- Sở Nội vụ (theo dõi);", "- Lưu: VT."]
    assert _lines(signature) == ["GIÁM ĐỐC"]


def test_a_wards_derived_plan_is_headed_by_its_peoples_committee(demo_plan):
    ward = user("focal_point").unit
    header = plan_header(derive_unit_plan(demo_plan, ward))
    assert (header.issuer_parent, header.issuer) == ("", "Ủy ban nhân dân phường Minh Xuân")
    assert header.number_line == "Số:      /KH-UBND"
    assert header.signature == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert header.recipients[-1] == "- Lưu: VT."


def test_what_a_derived_plan_fills_in_itself_is_printed_as_it_is(demo_plan):
    plan = derive_unit_plan(demo_plan, _unit("so-khoa-hoc-va-cong-nghe"))
    plan.symbol, plan.title, plan.recipients = "KH-KHCN", "Nâng cao chỉ số PAR INDEX năm 2025", ["Giám đốc Sở"]
    plan.signer_capacity, plan.signer_title = "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"
    header = plan_header(plan)
    assert header.number_line.endswith("/KH-KHCN") and header.subject == plan.title
    assert header.recipients == ["- Giám đốc Sở;", "- Lưu: VT."]
    assert header.signature == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]


def test_the_province_plans_header_is_unchanged(demo_plan):
    header = plan_header(demo_plan)
    assert header.issuer == demo_plan.issuer and header.number_line == "Số:      /KH-UBND"
    assert header.recipients == plan_texts.recipient_lines(demo_plan)
    assert header.signature == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def test_recipients_always_end_with_the_archive_copy():
    assert plan_texts.format_recipients([]) == ["- Lưu: VT."]
    assert plan_texts.format_recipients(["Bộ Nội vụ"]) == ["- Bộ Nội vụ;", "- Lưu: VT."]
    assert plan_texts.format_recipients(["Bộ Nội vụ", "Lưu: VT, PVHCC."]) == ["- Bộ Nội vụ;", "- Lưu: VT, PVHCC."]


def _issuer_rule_and_column(doc):  # type: ignore[no-untyped-def]
    table = doc.tables[0]
    left = table.rows[0].cells[0]
    rule = next(p for p in left.paragraphs if p._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None)
    column = table.columns[0].width
    return Length(column - rule.paragraph_format.left_indent - rule.paragraph_format.right_indent), column


@pytest.mark.parametrize("issuer", ["SỞ Y TẾ", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG"])
def test_the_rule_under_the_issuer_is_a_third_to_a_half_of_its_line(issuer):
    doc = DocxDocument()
    letterhead(doc, DocumentHeader(issuer=issuer, number_line="Số: 1/KH", place_date_line="", kind="", subject=""))
    rule, column = _issuer_rule_and_column(doc)
    line = longest_line(issuer, Pt(13), column)
    assert line / 3 <= rule <= line / 2
    assert (rule < Mm(10)) == (issuer == "SỞ Y TẾ"), "the rule follows the text, not a fixed 24 mm"


def test_the_issuer_column_holds_a_departments_name_on_one_line():
    doc = DocxDocument()
    letterhead(doc, DocumentHeader(issuer="Sở Khoa học và Công nghệ", number_line="", place_date_line="", kind="",
                                   subject=""))
    column = doc.tables[0].columns[0].width
    # 'SỞ KHOA HỌC VÀ CÔNG NGHỆ' measures about 65 mm in 13 pt Times New Roman Bold.
    assert column - CELL_MARGINS >= Mm(70) >= text_length("SỞ KHOA HỌC VÀ CÔNG NGHỆ", Pt(13)) > Mm(60)
    assert longest_line("ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG", Pt(13), column) < Mm(70), "two lines"
    assert sum(c.width for c in doc.tables[0].columns) <= Mm(165)


def test_an_appendix_of_a_document_without_date_leaves_day_and_month_blank_in_words(demo_plan):
    subtitle = plan_texts.appendix_subtitle(demo_plan)
    assert subtitle == (f"(Kèm theo Kế hoạch số      /KH-UBND ngày     tháng     năm 2025 của "
                        f"{demo_plan.owner_unit.name})")
    issuer = unit_issuer(_unit("so-noi-vu"), demo_plan)
    assert report_texts.appendix_subtitle(issuer, None, 2025) == (
        "(Kèm theo Báo cáo số      /BC-SNV ngày     tháng     năm 2025 của Sở Nội vụ)")
    assert report_texts.appendix_subtitle(issuer, dt.date(2025, 2, 3), 2025).endswith(
        "ngày 03 tháng 02 năm 2025 của Sở Nội vụ)")
    derived = derive_unit_plan(demo_plan, _unit("so-khoa-hoc-va-cong-nghe"))
    doc = Document(io.BytesIO(plan_docx(derived)))
    assert any(p.text.startswith("(Kèm theo Kế hoạch số      /KH-SKHCN ngày     tháng") for p in doc.paragraphs)


def test_numbers_and_dates_are_written_one_way_in_plans_and_reports(demo_plan):
    demo_plan.number, demo_plan.issued_on = "5", dt.date(2025, 6, 20)
    assert plan_texts.number_line(demo_plan) == "Số: 05/KH-UBND"
    assert plan_texts.plan_reference(demo_plan).startswith("Kế hoạch số 05/KH-UBND ngày 20/6/2025 của ")
    assert plan_texts.vn_date(dt.date(2025, 1, 5)) == "05/01/2025"
    assert plan_texts.vn_date(dt.date(2025, 9, 15)) == "15/9/2025"
    assert plan_texts.appendix_subtitle(demo_plan).startswith("(Kèm theo Kế hoạch số 05/KH-UBND ngày 20 tháng 6 năm 2025")


def test_a_plan_without_recipients_still_prints_where_it_is_filed(demo_plan):
    demo_plan.recipients = []
    demo_plan.save()
    doc = Document(io.BytesIO(plan_docx(demo_plan)))
    recipients = doc.tables[1].rows[0].cells[0]
    assert _lines(recipients) == ["Nơi nhận:", "- Lưu: VT."]
