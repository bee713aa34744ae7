"""Importing a unit list: the whole file or nothing, every problem named by row and column."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from chiso.orgs.matching import AgencyMatcher
from chiso.orgs.models import Unit
from tests.conftest import client_for

URL = "/don-vi/nhap/"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_csv_list_creates_and_updates_units_with_aliases_and_parents():
    csv_text = (
        "code,name,short_name,kind,parent_code,aliases,email\n"
        "so-noi-vu.phong-thi-dua,Phòng Thi đua - Khen thưởng,Phòng TĐKT,office,so-noi-vu,Phòng TĐ-KT,\n"
        "so-tu-phap,Sở Tư pháp,STP,department,,Sở TP|Sở Tư pháp tỉnh,stp@tuyenquang.gov.vn\n"
    )
    response = client_for("coordinator").post(URL, {"file": upload("don-vi.csv", csv_text.encode())})
    assert response.status_code == 302
    office = Unit.objects.get(code="so-noi-vu.phong-thi-dua")
    assert office.parent.code == "so-noi-vu" and office.kind == "office"
    assert Unit.objects.get(province=office.province, code="so-tu-phap").aliases == ["Sở TP", "Sở Tư pháp tỉnh"]
    assert AgencyMatcher(office.province).match_one("phong TD-KT") == office


@pytest.mark.django_db
def test_xlsx_list_with_vietnamese_headers_is_accepted():
    content = xlsx([["Mã", "Tên", "Tên viết tắt", "Loại", "Mã đơn vị cấp trên", "Tên gọi khác", "Email"],
                    ["xa-moi", "Xã Thử Nghiệm", "", "Xã", "", "", ""]])
    response = client_for("coordinator").post(URL, {"file": upload("don-vi.xlsx", content)})
    assert response.status_code == 302
    assert Unit.objects.get(code="xa-moi").kind == "commune"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.csv", "code,name,kind\nx1,Đơn vị A,department\nx1,Đơn vị B,department\n".encode(),
         "Dòng 3, cột code: mã “x1” trùng với dòng 2"),
        ("a.csv", "code,name,kind\nx1,Đơn vị A,sở lớn\n".encode(), "Dòng 2, cột kind: loại “sở lớn” không hợp lệ"),
        ("a.csv", "code,name,kind,parent_code\nx1,Đơn vị A,office,khong-co\n".encode(),
         "Dòng 2, cột parent_code: không có đơn vị mã “khong-co”"),
        ("a.csv", b"ten,loai\nA,department\n", "Thiếu cột bắt buộc: code"),
        ("a.csv", "code,name,kind,email\nx1,Đơn vị A,department,khong-phai-email\n".encode(), "không phải địa chỉ thư"),
        ("a.csv", "code,name,kind\nx1,Sở,department\n".encode("utf-16"), "mã hóa UTF-8"),
        ("a.csv", b"", "rỗng"),
        ("a.pdf", b"%PDF-1.4", "Chỉ nhận tệp .csv hoặc .xlsx"),
        ("a.xlsx", b"PK\x03\x04 this is not really a workbook", "Không đọc được tệp Excel"),
    ],
)
def test_malformed_unit_list_is_refused_line_by_line_and_nothing_is_saved(name, content, message):
    before = Unit.objects.count()
    response = client_for("coordinator").post(URL, {"file": upload(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Unit.objects.count() == before


@pytest.mark.django_db
def test_one_bad_row_rolls_back_the_good_ones():
    text = "code,name,kind\nmoi-1,Đơn vị mới 1,department\nmoi-2,,department\n"
    response = client_for("coordinator").post(URL, {"file": upload("a.csv", text.encode())})
    assert response.status_code == 400 and "Dòng 3, cột name: thiếu tên đơn vị" in response.content.decode()
    assert not Unit.objects.filter(code="moi-1").exists()


@pytest.mark.django_db
def test_zip_bomb_disguised_as_xlsx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    response = client_for("coordinator").post(URL, {"file": upload("bom.xlsx", buffer.getvalue())})
    assert response.status_code == 400 and "giải nén quá lớn" in response.content.decode()


@pytest.mark.django_db
def test_oversized_file_is_refused(settings):
    settings.CHISO_UNIT_IMPORT_MAX_BYTES = 1024
    response = client_for("coordinator").post(URL, {"file": upload("a.csv", b"code,name,kind\n" + b"x" * 2048)})
    assert response.status_code == 400 and "Tệp quá lớn" in response.content.decode()


@pytest.mark.django_db
def test_every_problem_is_reported_at_once_including_missing_parents_and_loops():
    text = ("code,name,kind,parent_code\n"
            "a,Đơn vị A,office,b\n"
            "b,Đơn vị B,office,a\n"
            "c,,office,khong-co\n")
    response = client_for("coordinator").post(URL, {"file": upload("a.csv", text.encode())})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Dòng 4, cột name: thiếu tên đơn vị" in page
    assert "Dòng 4, cột parent_code: không có đơn vị mã “khong-co”" in page
    assert "vòng lặp" in page


@pytest.mark.django_db
def test_an_office_listed_before_its_department_is_written_once_with_its_parent():
    text = ("code,name,kind,parent_code\n"
            "so-moi.van-phong,Văn phòng Sở Mới,office,so-moi\n"
            "so-moi,Sở Mới,department,\n")
    assert client_for("coordinator").post(URL, {"file": upload("a.csv", text.encode())}).status_code == 302
    office = Unit.objects.get(code="so-moi.van-phong")
    assert office.parent.code == "so-moi" and office.history.count() == 1
