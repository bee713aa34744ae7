"""Error pages as a browser shows them: in Vietnamese, in the site's layout, with no policy violation (the
browser fixture fails the test on any Content-Security-Policy report in the console)."""

from __future__ import annotations

import pytest

from tests.conftest import login  # the browser fixture is conftest's

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_browser_shows_the_error_pages_in_vietnamese(browser, live_server):  # noqa: F811
    page = browser.new_context(locale="en-US").new_page()
    login(page, live_server, "lanhdaotinh")
    assert "/theo-doi/chi-so/" in page.url  # the province's leadership lands on the overview of an index
    response = page.goto(f"{live_server.url}/khong-co-trang-nay/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Không tìm thấy trang"
    assert page.locator("header.topbar a.brand").count() == 1
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    page.goto(f"{live_server.url}/don-vi/?q=%00")
    assert page.locator("h1").inner_text() == "Yêu cầu không hợp lệ"
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.context.clear_cookies()  # the CSRF cookie is gone: the form's token no longer matches
    page.fill("#id_username", "lanhdaotinh")
    page.fill("#id_password", "x")
    page.click("button[type=submit]")
    assert page.locator("h1").inner_text() == "Phiên làm việc đã hết hạn"
    assert "CSRF" not in page.content()
