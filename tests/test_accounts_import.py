"""Bulk account import: a file of 300 accounts creates them all in one transaction after a preview, or none
with every bad line named; XLSX and CSV alike; each new account gets its invitation."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from chiso.accounts.models import Role, User
from chiso.orgs.models import Unit
from tests.accounts_helpers import make_account
from tests.conftest import client_for

URL = "/tai-khoan/quan-ly/nhap/"
HEADER = ["Họ và tên", "Thư điện tử", "Điện thoại", "Mã đơn vị", "Vai trò"]


def _rows(n: int) -> list[list[str]]:
    codes = list(Unit.objects.filter(province__code="tuyen-quang", kind__in=["commune", "ward"])
                 .order_by("code").values_list("code", flat=True))
    roles = ["Cán bộ đầu mối", "Lãnh đạo đơn vị"]
    return [[f"Nguyễn Văn Số {i}", f"canbo{i}@example.gov.vn", f"0912 000 {i:03d}", codes[i % len(codes)],
             roles[i % 2]] for i in range(n)]


def _csv(rows: list[list[str]]) -> SimpleUploadedFile:
    text = "\n".join(",".join(row) for row in [HEADER, *rows])
    return SimpleUploadedFile("tai-khoan.csv", text.encode("utf-8"))


def _xlsx(rows: list[list[str]]) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    for row in [HEADER, *rows]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("tai-khoan.xlsx", buffer.getvalue())


def _preview_token(page: str) -> str:
    return re.search(r'name="preview" value="([^"]+)"', page).group(1)


@pytest.mark.django_db
@pytest.mark.parametrize("make_file", [_csv, _xlsx], ids=["csv", "xlsx"])
def test_300_accounts_are_previewed_then_created_together_and_invited(make_file, django_capture_on_commit_callbacks):
    client = client_for("coordinator")
    before = User.objects.count()
    preview = client.post(URL, {"file": make_file(_rows(300))})
    page = preview.content.decode()
    assert preview.status_code == 200 and "Xem trước: 300 tài khoản sẽ được tạo" in page
    assert "canbo299@example.gov.vn" in page and User.objects.count() == before  # nothing saved yet
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(URL, {"preview": _preview_token(page)})
    assert done.status_code == 302
    created = User.objects.filter(email__startswith="canbo", email__endswith="@example.gov.vn")
    assert created.count() == 300 and User.objects.count() == before + 300
    assert set(created.values_list("role", flat=True)) == {Role.FOCAL_POINT, Role.LEADER}
    assert len(mail.outbox) == 300


@pytest.mark.django_db
def test_a_file_with_bad_lines_creates_nothing_and_names_every_bad_line():
    make_account("canbo7")  # e-mail canbo7@example.gov.vn already has an account
    rows = _rows(300)
    rows[3][0] = ""                         # line 5: no name
    rows[10][1] = "khong-phai-thu"           # line 12: not an e-mail
    rows[20][1] = rows[19][1]                # line 22: same e-mail as line 21
    rows[30][3] = "ma-khong-co"              # line 32: no such unit
    rows[40][4] = "Quản trị hệ thống"        # line 42: a coordinator cannot make admins
    rows[7][1] = "canbo7@example.gov.vn"     # line 9: taken
    response = client_for("coordinator").post(URL, {"file": _csv(rows)})
    page = response.content.decode()
    assert response.status_code == 400 and "Chưa tạo tài khoản nào" in page
    for line in (5, 12, 22, 32, 42, 9):
        assert f"Dòng {line}," in page
    assert not User.objects.filter(email__startswith="canbo", email__endswith="@example.gov.vn"
                                   ).exclude(username="canbo7").exists()


@pytest.mark.django_db
def test_an_address_taken_between_preview_and_confirmation_refuses_the_whole_file(django_capture_on_commit_callbacks):
    client = client_for("coordinator")
    page = client.post(URL, {"file": _csv(_rows(5))}).content.decode()
    make_account("canbo3")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"preview": _preview_token(page)})
    assert response.status_code == 400 and "Dòng 5," in response.content.decode()
    assert User.objects.filter(email__startswith="canbo").count() == 1 and not mail.outbox


@pytest.mark.django_db
def test_a_tampered_preview_is_refused():
    response = client_for("coordinator").post(URL, {"preview": "gia-mao"})
    assert response.status_code == 400 and "tải tệp lên lại" in response.content.decode()


@pytest.mark.django_db
def test_a_file_without_the_required_columns_is_explained():
    upload = SimpleUploadedFile("x.csv", "Tên,Số\nA,1\n".encode())
    response = client_for("coordinator").post(URL, {"file": upload})
    assert response.status_code == 400 and "Thiếu cột bắt buộc" in response.content.decode()
