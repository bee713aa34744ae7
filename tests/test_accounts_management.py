"""Managing accounts: invitations that work once and expire, edits that never overwrite each other,
deactivation, reset, "Quên mật khẩu", password rules in Vietnamese, the admin's first coordinator of a province."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from chiso.accounts.invitations import make_token
from chiso.accounts.models import Role, User
from chiso.orgs.models import Province, Unit, UnitGroup
from tests.accounts_helpers import make_account
from tests.conftest import client_for

LOGIN = "/tai-khoan/dang-nhap/"
NEW_PASSWORD = "Suoi-Hoa-Tuyen-Quang-2026"


def _link_in(message: mail.EmailMessage) -> str:
    return re.search(r"https?://\S+?(/tai-khoan/\S+/)", message.body).group(1)


def _create(client: Client, capture, **changes: object):  # type: ignore[no-untyped-def]
    form = {"full_name": "Trần Thị Ngọc Ánh", "email": "Anh.TTN@Example.gov.vn", "phone": "0207 3822 111",
            "role": "focal_point", "unit": Unit.objects.get(code="phuong-minh-xuan").pk, **changes}
    with capture(execute=True):
        return client.post("/tai-khoan/quan-ly/moi/", form)


@pytest.mark.django_db
def test_a_new_account_gets_an_invitation_that_sets_the_password_once(django_capture_on_commit_callbacks):
    response = _create(client_for("coordinator"), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    account = User.objects.get(email="anh.ttn@example.gov.vn")
    assert (account.last_name, account.first_name, account.username) == ("Trần Thị Ngọc", "Ánh", account.email)
    assert not account.has_usable_password()
    [message] = mail.outbox
    assert message.to == ["anh.ttn@example.gov.vn"] and "Phường Minh Xuân" in message.body
    link = _link_in(message)
    page = Client().get(link)
    assert page.status_code == 200 and "anh.ttn@example.gov.vn" in page.content.decode()
    assert Client().post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}).status_code == 302
    assert Client().post(LOGIN, {"username": account.username, "password": NEW_PASSWORD}).status_code == 302
    # Once used, the link is dead.
    assert Client().get(link).status_code == 410
    assert Client().post(link, {"new_password1": "Khac-Han-2026-x", "new_password2": "Khac-Han-2026-x"}
                         ).status_code == 410


@pytest.mark.django_db
def test_an_invitation_link_expires(settings):
    account = make_account()
    link = f"/tai-khoan/kich-hoat/{make_token(account)}/"
    assert Client().get(link).status_code == 200
    settings.CHISO_INVITATION_MAX_AGE_SECONDS = -1
    assert Client().get(link).status_code == 410
    assert Client().get("/tai-khoan/kich-hoat/gia-mao/").status_code == 410


@pytest.mark.django_db
def test_a_weak_password_is_refused_in_vietnamese():
    account = make_account()
    link = f"/tai-khoan/kich-hoat/{make_token(account)}/"
    page = Client().post(link, {"new_password1": "12345678", "new_password2": "12345678"}).content.decode()
    assert "Mật khẩu này quá thông dụng" in page and "không được chỉ gồm chữ số" in page
    short = Client().post(link, {"new_password1": "Ab1!", "new_password2": "Ab1!"}).content.decode()
    assert "Mật khẩu cần có ít nhất 8 ký tự." in short


@pytest.mark.django_db
def test_an_e_mail_already_used_is_refused(django_capture_on_commit_callbacks):
    make_account("trung")
    response = _create(client_for("coordinator"), django_capture_on_commit_callbacks, email="trung@example.gov.vn")
    assert response.status_code == 400 and "Đã có tài khoản dùng địa chỉ thư này." in response.content.decode()
    assert not mail.outbox


@pytest.mark.django_db
def test_two_coordinators_editing_one_account_do_not_overwrite_each_other():
    account = make_account()
    opened_at = account.lock_version
    form = {"full_name": "Nguyễn Thị Hà", "email": account.email, "phone": "", "unit": account.unit_id,
            "lock_version": opened_at}
    first = client_for("coordinator").post(f"/tai-khoan/quan-ly/{account.pk}/sua/", {**form, "role": "leader"})
    second = client_for("admin").post(f"/tai-khoan/quan-ly/{account.pk}/sua/", {**form, "role": "viewer"})
    assert first.status_code == 302 and second.status_code == 409
    assert "vừa được người khác cập nhật" in second.content.decode()
    account.refresh_from_db()
    assert account.role == Role.LEADER and account.lock_version == opened_at + 1


@pytest.mark.django_db
def test_a_deactivated_account_cannot_sign_in_and_a_reset_one_needs_its_new_link(django_capture_on_commit_callbacks):
    account = make_account()
    coordinator = client_for("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(f"/tai-khoan/quan-ly/{account.pk}/dat-lai/")
    assert Client().post(LOGIN, {"username": account.username, "password": "Mat-khau-cu-2025"}).status_code == 200
    link = _link_in(mail.outbox[-1])
    assert Client().post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}).status_code == 302
    coordinator.post(f"/tai-khoan/quan-ly/{account.pk}/trang-thai/", {"active": "0"})
    assert Client().post(LOGIN, {"username": account.username, "password": NEW_PASSWORD}).status_code == 200
    coordinator.post(f"/tai-khoan/quan-ly/{account.pk}/trang-thai/", {"active": "1"})
    assert Client().post(LOGIN, {"username": account.username, "password": NEW_PASSWORD}).status_code == 302


@pytest.mark.django_db
def test_a_coordinator_cannot_lock_themself():
    coordinator = User.objects.get(username="dieuphoi")
    client_for("coordinator").post(f"/tai-khoan/quan-ly/{coordinator.pk}/trang-thai/", {"active": "0"})
    coordinator.refresh_from_db()
    assert coordinator.is_active


@pytest.mark.django_db
def test_forgotten_password_by_mail_works_once():
    account = make_account()
    page = Client().get(LOGIN).content.decode()
    assert "/tai-khoan/quen-mat-khau/" in page and "Quên mật khẩu?" in page
    assert Client().post("/tai-khoan/quen-mat-khau/", {"email": account.email}).status_code == 302
    assert Client().post("/tai-khoan/quen-mat-khau/", {"email": "khong-co@example.gov.vn"}).status_code == 302
    [message] = mail.outbox  # nobody else is told whether an address exists
    assert "Kính gửi Nguyễn Thị Hà" in message.body
    client = Client()
    form_page = client.get(_link_in(message), follow=True)
    assert "Đặt mật khẩu mới" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert Client().post(LOGIN, {"username": account.username, "password": NEW_PASSWORD}).status_code == 302
    again = Client().get(_link_in(message), follow=True).content.decode()
    assert "Đường dẫn không còn hiệu lực" in again


@pytest.mark.django_db
def test_the_list_searches_without_diacritics_and_sorts_by_given_name_in_vietnamese_order():
    for username, first, last in [("a1", "Đào", "Lê"), ("a2", "Dung", "Phạm"), ("a3", "Ánh", "Vũ")]:
        User.objects.create_user(username, first_name=first, last_name=last, role=Role.FOCAL_POINT,
                                 unit=Unit.objects.get(code="phuong-minh-xuan"))
    page = client_for("coordinator").get("/tai-khoan/quan-ly/", {"unit": Unit.objects.get(code="phuong-minh-xuan").pk})
    text = page.content.decode()
    assert text.index("Vũ Ánh") < text.index("Phạm Dung") < text.index("Lê Đào")
    found = client_for("coordinator").get("/tai-khoan/quan-ly/", {"q": "dao"}).content.decode()
    assert "Lê Đào" in found and "Phạm Dung" not in found


@pytest.mark.django_db
def test_admin_creates_a_new_provinces_coordinator_with_its_department_and_standard_groups(
        django_capture_on_commit_callbacks):
    province = Province.objects.filter(dissolved_on__isnull=True, units__isnull=True).order_by("code").first()
    assert not UnitGroup.objects.filter(province=province).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("admin").post("/tai-khoan/dieu-phoi-tinh/moi/", {
            "province": province.pk, "unit_code": "so-noi-vu", "unit_name": "", "full_name": "Hoàng Văn Bình",
            "email": "binh@example.gov.vn", "phone": ""})
    assert response.status_code == 302
    coordinator = User.objects.get(email="binh@example.gov.vn")
    assert coordinator.role == Role.COORDINATOR and coordinator.unit.province == province
    assert coordinator.unit.name == f"Sở Nội vụ {province.name}"
    assert set(UnitGroup.objects.filter(province=province).values_list("name", flat=True)) >= {
        "UBND cấp xã", "Các sở, ban, ngành"}
    assert mail.outbox[0].to == ["binh@example.gov.vn"]
