"""The decree's letterhead and closing of documents a unit issues: a unit's derived plan is headed and
signed as the unit (parent line, symbol with the unit's abbreviation, recipients ending in 'Lưu: VT',
the head's signature), whatever the derived plan leaves empty."""

from __future__ import annotations

import io

import pytest
from docx import Document

from chiso.documents import plan_texts
from chiso.documents.headers import abbreviation, plan_header, unit_issuer
from chiso.documents.plan_docx import plan_docx
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
