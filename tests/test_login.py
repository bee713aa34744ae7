"""Login, logout, password change, and throttling of repeated failed logins."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import client_for

LOGIN = "/tai-khoan/dang-nhap/"


@pytest.mark.django_db
def test_login_with_the_demo_password_lands_on_the_home_page():
    client = Client()
    response = client.post(LOGIN, {"username": "dieuphoi", "password": "chiso-demo-2025"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "Xin chào" in client.get("/").content.decode()


@pytest.mark.django_db
def test_wrong_password_is_answered_in_vietnamese():
    response = Client().post(LOGIN, {"username": "dieuphoi", "password": "sai"})
    assert response.status_code == 200 and "không đúng" in response.content.decode()


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_even_for_the_right_password(settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "dieuphoi", "password": "sai"})
    response = client.post(LOGIN, {"username": "dieuphoi", "password": "chiso-demo-2025"})
    assert response.status_code == 429 and "Tạm khóa đăng nhập" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_change_and_logout():
    client = client_for("viewer")
    response = client.post("/tai-khoan/doi-mat-khau/", {
        "old_password": "chiso-demo-2025", "new_password1": "Hoa-ban-no-trang-2026!", "new_password2": "Hoa-ban-no-trang-2026!"})
    assert response.status_code == 302
    client.post("/tai-khoan/dang-xuat/")
    assert client.get("/").status_code == 302
    assert Client().post(LOGIN, {"username": "lanhdaotinh", "password": "Hoa-ban-no-trang-2026!"}).status_code == 302


@pytest.mark.django_db
def test_english_is_available_as_second_language():
    client = client_for("viewer")
    client.post("/ngon-ngu/", {"language": "en", "next": "/"})
    page = client.get("/ke-hoach/").content.decode()
    assert 'lang="en"' in page and "Plans" in page and "Log out" in page


@pytest.mark.django_db
def test_vietnamese_is_the_default_whatever_the_browser_announces():
    page = client_for("viewer").get("/ke-hoach/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="vi"' in page and "Đăng xuất" in page
