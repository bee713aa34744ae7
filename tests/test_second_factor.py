"""The second factor (TOTP) from end to end with real codes computed from each device's key: turning it on,
signing in in two steps, wrong, expired and reused codes, recovery codes used once, throttling, turning it
off, new recovery codes, the admin's reset for a lost phone, and that neither "Quên mật khẩu" nor the back
office's login goes around it."""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from chiso.accounts.models import User
from chiso.demo.loader import DEMO_PASSWORD
from tests.conftest import USERNAMES, client_for
from tests.second_factor_helpers import (
    CODES,
    CODES_TXT,
    LOGIN,
    REGENERATE,
    SECOND_STEP,
    SETTINGS,
    TURN_OFF,
    code_of,
    sign_in_with_password,
    signed_in,
    turn_on,
    wrong_code,
)

NEW_PASSWORD = "Hoa-ban-no-trang-2026!"


@pytest.fixture
def coordinator(db) -> User:  # type: ignore[no-untyped-def]
    return User.objects.get(username=USERNAMES["coordinator"])


@pytest.fixture
def turned_on(coordinator):  # type: ignore[no-untyped-def]
    client = client_for("coordinator")
    device, codes = turn_on(client, coordinator)
    client.post("/tai-khoan/dang-xuat/")
    return device, codes


def test_turning_on_shows_a_qr_code_the_key_in_groups_and_ten_recovery_codes_once(coordinator):
    client = client_for("coordinator")
    page = client.get("/tai-khoan/xac-thuc-hai-lop/bat/").content.decode()
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    assert "<svg" in page and "<path" in page and "style=" not in page.split("<svg", 1)[1].split("</svg>")[0]
    assert re.search(r"<code>([A-Z2-7]{4} ){7}[A-Z2-7]{4}</code>", page)
    assert client.post("/tai-khoan/xac-thuc-hai-lop/bat/", {"code": wrong_code(device)}).status_code == 400
    time.sleep(1.1)  # django-otp's throttle: one second after the first wrong code
    device, codes = turn_on(client, coordinator)
    assert device.confirmed
    download = client.get(CODES_TXT)
    assert download["Content-Disposition"].startswith("attachment") and all(
        code in download.content.decode() for code in codes)
    # Once the person leaves the codes' page, nobody sees them again.
    assert "Còn 10 mã khôi phục" in client.get(SETTINGS).content.decode()
    assert client.get(CODES).status_code == 302 and client.get(CODES_TXT).status_code == 302
    assert LogEntry.objects.filter(object_id=str(coordinator.pk), change_message="Bật xác thực hai lớp").exists()


def test_sign_in_asks_for_the_code_and_logs_in_only_after_it(turned_on, coordinator):
    device, _ = turned_on
    client = sign_in_with_password(coordinator.username)
    assert not signed_in(client)
    assert client.get("/").status_code == 302
    response = client.get(SECOND_STEP)
    assert response.status_code == 200 and "Nhập mã xác thực" in response.content.decode()
    response = client.post(SECOND_STEP, {"code": code_of(device, steps=1)})  # the next step: not yet used
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in(client) and client.session["otp_device_id"] == device.persistent_id
    assert "Xin chào" in client.get("/").content.decode()


def test_a_wrong_code_is_refused_in_vietnamese_and_throttled(turned_on, coordinator):
    device, _ = turned_on
    client = sign_in_with_password(coordinator.username)
    response = client.post(SECOND_STEP, {"code": wrong_code(device)})
    assert response.status_code == 400 and "Mã xác thực không đúng" in response.content.decode()
    # Right at once after a wrong one: held back, even though it is right.
    response = client.post(SECOND_STEP, {"code": code_of(device, steps=1)})
    assert response.status_code == 400 and "Vui lòng chờ" in response.content.decode()
    assert not signed_in(client)
    time.sleep(1.1)
    assert client.post(SECOND_STEP, {"code": code_of(device, steps=1)}).status_code == 302 and signed_in(client)


def test_a_used_and_an_expired_code_are_named_as_such(turned_on, coordinator):
    device, _ = turned_on  # confirmed with the current step's code
    client = sign_in_with_password(coordinator.username)
    response = client.post(SECOND_STEP, {"code": code_of(device)})
    assert response.status_code == 400 and "đã được dùng" in response.content.decode()
    time.sleep(1.1)
    response = client.post(SECOND_STEP, {"code": code_of(device, steps=-5)})
    assert response.status_code == 400 and "đã hết hạn" in response.content.decode()
    assert not signed_in(client)


def test_a_recovery_code_works_once_only(turned_on, coordinator):
    _, codes = turned_on
    client = sign_in_with_password(coordinator.username)
    assert client.post(SECOND_STEP, {"code": codes[0].upper()[:4] + "-" + codes[0][4:]}).status_code == 302
    assert signed_in(client) and StaticToken.objects.filter(device__user=coordinator).count() == 9
    again = sign_in_with_password(coordinator.username)
    response = again.post(SECOND_STEP, {"code": codes[0]})
    assert response.status_code == 400 and "đã được dùng" in response.content.decode()
    assert not signed_in(again)


def test_turning_off_needs_the_password_and_a_current_code(turned_on, coordinator):
    device, codes = turned_on
    client = sign_in_with_password(coordinator.username)
    client.post(SECOND_STEP, {"code": code_of(device, steps=1)})
    response = client.post(TURN_OFF, {"turn_off-password": "sai-mat-khau", "turn_off-code": codes[1]})
    assert response.status_code == 400 and "Mật khẩu không đúng" in response.content.decode()
    assert TOTPDevice.objects.filter(user=coordinator).exists()
    response = client.post(TURN_OFF, {"turn_off-password": DEMO_PASSWORD, "turn_off-code": codes[1]})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert not StaticToken.objects.filter(device__user=coordinator).exists()
    assert Client().post(LOGIN, {"username": coordinator.username, "password": DEMO_PASSWORD})["Location"] == "/"


def test_new_recovery_codes_replace_the_old_ones(turned_on, coordinator):
    device, old_codes = turned_on
    client = sign_in_with_password(coordinator.username)
    client.post(SECOND_STEP, {"code": code_of(device, steps=1)})
    assert client.post(REGENERATE, {"regenerate-code": "khong-phai-ma"}).status_code == 400
    time.sleep(1.1)  # django-otp's throttle after a wrong code
    response = client.post(REGENERATE, {"regenerate-code": old_codes[2]})
    assert response.status_code == 302 and response["Location"] == CODES
    new_codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", client.get(CODES).content.decode())
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    refused = sign_in_with_password(coordinator.username)
    assert refused.post(SECOND_STEP, {"code": old_codes[3]}).status_code == 400
    time.sleep(1.1)
    assert sign_in_with_password(coordinator.username).post(SECOND_STEP, {"code": new_codes[0]}).status_code == 302


def test_forgotten_password_does_not_go_around_the_second_factor(turned_on, coordinator):
    device, _ = turned_on
    coordinator.email = "dieuphoi@example.gov.vn"
    coordinator.save(update_fields=["email"])
    Client().post("/tai-khoan/quen-mat-khau/", {"email": coordinator.email})
    [message] = mail.outbox
    link = re.search(r"https?://\S+?(/tai-khoan/\S+/)", message.body).group(1)
    client = Client()
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert not signed_in(client)
    after_reset = sign_in_with_password(coordinator.username, NEW_PASSWORD)
    assert not signed_in(after_reset)
    assert after_reset.post(SECOND_STEP, {"code": code_of(device, steps=1)}).status_code == 302
    assert signed_in(after_reset)


def test_the_back_office_login_sends_to_chisos_two_step_sign_in():
    response = Client().get("/quan-tri/login/?next=/quan-tri/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_failed_passwords_still_lock_an_account_with_a_second_factor(turned_on, coordinator, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": coordinator.username, "password": "sai"})
    response = client.post(LOGIN, {"username": coordinator.username, "password": DEMO_PASSWORD})
    assert response.status_code == 429 and not signed_in(client)
    assert client.get(SECOND_STEP).status_code == 302


def test_the_code_page_without_a_password_first_sends_back_to_sign_in(db):
    response = Client().post(SECOND_STEP, {"code": "123456"}, follow=True)
    assert response.redirect_chain[-1][0] == LOGIN and "Phiên đăng nhập đã hết hạn" in response.content.decode()


def test_the_half_way_step_expires(turned_on, coordinator):
    device, _ = turned_on
    client = sign_in_with_password(coordinator.username)
    session = client.session
    session["chiso_second_factor_pending"]["since"] -= 6 * 60
    session.save()
    assert client.post(SECOND_STEP, {"code": code_of(device, steps=1)}).status_code == 302
    assert not signed_in(client)


def test_the_admin_resets_a_lost_phone_and_the_history_says_who(turned_on, coordinator):
    admin = User.objects.get(username=USERNAMES["admin"])
    response = client_for("admin").post(f"/tai-khoan/quan-ly/{coordinator.pk}/xac-thuc-hai-lop/dat-lai/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    entry = LogEntry.objects.filter(object_id=str(coordinator.pk)).latest("action_time")
    assert entry.user_id == admin.pk and "đặt lại" in entry.change_message
    assert signed_in(sign_in_with_password(coordinator.username))


def test_only_coordinators_and_admins_see_the_link(db):
    assert "/tai-khoan/xac-thuc-hai-lop/" in client_for("coordinator").get("/ke-hoach/").content.decode()
    assert "/tai-khoan/xac-thuc-hai-lop/" not in client_for("focal_point").get("/ke-hoach/").content.decode()


JUNK_CODES = ["", " ", "١٢٣٤٥٦", "12345", "1234567", "12 34 56", "-123456", "abc\x00def", "x" * 33, "<svg>",
              "12345６", "aaaaaaaa", "AAAA-AAAA", "' OR 1=1 --"]


def test_no_code_however_odd_causes_a_server_error_or_a_sign_in(turned_on, coordinator):
    device, _ = turned_on
    half_way = sign_in_with_password(coordinator.username)
    setting_up = client_for("admin")
    setting_up.get("/tai-khoan/xac-thuc-hai-lop/bat/")
    for junk in JUNK_CODES:
        assert half_way.post(SECOND_STEP, {"code": junk}).status_code == 400, junk
        assert setting_up.post("/tai-khoan/xac-thuc-hai-lop/bat/", {"code": junk}).status_code == 400, junk
    assert not signed_in(half_way)
    assert not TOTPDevice.objects.filter(user__username=USERNAMES["admin"], confirmed=True).exists()


def test_when_the_instance_requires_it_a_coordinator_sets_it_up_before_anything_else(coordinator, settings):
    settings.CHISO_REQUIRE_SECOND_FACTOR = True
    client = Client()
    response = client.post(LOGIN, {"username": coordinator.username, "password": DEMO_PASSWORD})
    assert response["Location"] == "/tai-khoan/xac-thuc-hai-lop/bat/"
    blocked = client.get("/ke-hoach/", follow=True)
    assert blocked.redirect_chain[-1][0] == "/tai-khoan/xac-thuc-hai-lop/bat/"
    assert "yêu cầu tài khoản điều phối" in blocked.content.decode()
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    assert client.post("/tai-khoan/xac-thuc-hai-lop/bat/", {"code": code_of(device)})["Location"] == CODES
    assert client.get(CODES).status_code == 200 and client.get("/ke-hoach/").status_code == 200
    # A focal point is not asked.
    focal = Client()
    assert focal.post(LOGIN, {"username": USERNAMES["focal_point"], "password": DEMO_PASSWORD})["Location"] == "/"
    assert focal.get("/ke-hoach/").status_code == 200


def test_the_back_office_resets_any_provinces_account_and_never_shows_the_keys(turned_on, coordinator):
    admin = client_for("admin")
    assert admin.get("/quan-tri/otp_totp/totpdevice/").status_code == 404
    assert admin.get("/quan-tri/otp_static/staticdevice/").status_code == 404
    response = admin.post("/quan-tri/accounts/user/", {"action": "reset_second_factor",
                                                       "_selected_action": [coordinator.pk]})
    assert response.status_code == 302 and not TOTPDevice.objects.filter(user=coordinator).exists()
    assert LogEntry.objects.filter(object_id=str(coordinator.pk), change_message__contains="đặt lại").exists()
