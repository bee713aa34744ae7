"""The second factor in a real browser, as a coordinator does it: from the account menu, turn it on with the
key typed from the screen into a TOTP computation (what an authenticator app does), keep the recovery codes
(the .txt download), sign out, then sign in in two steps. axe-core finds no serious or critical violation on
any of the new pages; the browser fixture fails the test on any Content-Security-Policy refusal."""

from __future__ import annotations

import time
from base64 import b32decode
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django_otp.oath import TOTP

from chiso.demo.loader import DEMO_PASSWORD
from tests.browser_checks import axe_serious_violations
from tests.conftest import LOGIN_PATH, USERNAMES, login

pytestmark = pytest.mark.browser

SECOND_STEP_PATH = "/tai-khoan/dang-nhap/ma-xac-thuc/"


def app_code(secret_in_groups: str, steps: int = 0) -> str:
    """What an authenticator app shows for the key the page gave (RFC 6238: SHA-1, 30 s, six digits)."""
    totp = TOTP(b32decode(secret_in_groups.replace(" ", "")))
    totp.time = time.time() + steps * 30
    return f"{totp.token():06d}"


def login_with_code(page, live_server, username: str, code: str) -> None:  # type: ignore[no-untyped-def]
    """conftest.login for an account with a second factor: the password leads to the code page, not away from
    sign-in; the code leads to the landing page."""
    page.goto(f"{live_server.url}{LOGIN_PATH}")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: urlsplit(url).path == SECOND_STEP_PATH)
    assert not axe_serious_violations(page)
    page.fill("#id_code", code)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: urlsplit(url).path not in (LOGIN_PATH, SECOND_STEP_PATH))


@pytest.mark.django_db(transaction=True)
def test_a_coordinator_turns_the_second_factor_on_and_signs_in_with_a_code(browser, live_server):
    page = browser.new_context(locale="vi-VN", accept_downloads=True).new_page()
    login(page, live_server, USERNAMES["coordinator"])
    page.click("text=Xác thực hai lớp")
    assert not axe_serious_violations(page)
    page.click("text=Bật xác thực hai lớp")
    assert page.locator(".qr-code svg path").count() >= 1
    assert not axe_serious_violations(page)
    secret = page.locator(".secret-key code").inner_text()
    page.fill("#id_code", "000000" if app_code(secret) != "000000" else "111111")
    page.click("main button[type=submit]")
    assert "không đúng" in page.locator(".form-errors").inner_text()
    time.sleep(1.1)  # django-otp's throttle after a wrong code
    page.fill("#id_code", app_code(secret))
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: urlsplit(url).path.endswith("/ma-khoi-phuc/"))
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert not axe_serious_violations(page)
    with page.expect_download() as download_info:
        page.click("text=Tải tệp .txt")
    saved = download_info.value
    assert saved.suggested_filename == "chiso-ma-khoi-phuc.txt"
    text = Path(saved.path()).read_text(encoding="utf-8")
    assert all(code in text for code in codes)
    page.click("text=Tôi đã lưu các mã")
    assert "Còn 10 mã khôi phục" in page.locator("main").inner_text()
    page.click("text=Đăng xuất")
    page.wait_for_url(lambda url: urlsplit(url).path == LOGIN_PATH)
    login_with_code(page, live_server, USERNAMES["coordinator"], app_code(secret, steps=1))
    assert "Đăng xuất" in page.locator("header").inner_text()
