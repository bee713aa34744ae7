"""Error pages in the site's layout and in Vietnamese (English when chosen); a Content-Security-Policy on
every HTML page; no template carrying what the policy forbids."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import path

from chiso.core.csp import POLICY
from tests.conftest import client_for

TEMPLATES = Path(settings.BASE_DIR) / "chiso" / "templates"


def _boom(request):  # type: ignore[no-untyped-def]
    raise RuntimeError("a bug")


# A URLconf with one failing view and chiso's own error handler.
urlpatterns = [path("hong/", _boom)]
handler500 = "chiso.core.errors.server_error"


def _assert_site_page(response, status: int, words: str) -> str:  # type: ignore[no-untyped-def]
    page = response.content.decode()
    assert response.status_code == status
    assert 'class="topbar"' in page and "chiso/chiso.css" in page, "not in the site's layout"
    assert words in page
    assert "Forbidden" not in page and "Not Found" not in page and "Server Error" not in page
    assert response["Content-Security-Policy"] == POLICY
    return page


@pytest.mark.django_db
def test_an_unknown_address_is_a_vietnamese_404_in_the_layout():
    _assert_site_page(client_for("coordinator").get("/khong-co/"), 404, "Không tìm thấy trang")


@pytest.mark.django_db
def test_another_provinces_object_is_the_same_404():
    _assert_site_page(client_for("coordinator").get("/ke-hoach/99999999/"), 404, "Không tìm thấy trang")


@pytest.mark.django_db
def test_a_forbidden_write_is_a_vietnamese_403_in_the_layout(demo_plan):
    _assert_site_page(client_for("viewer").post(f"/ke-hoach/{demo_plan.pk}/sua/", {}), 403,
                      "Không có quyền thực hiện")


@pytest.mark.django_db
def test_a_refused_csrf_check_is_a_vietnamese_403_that_changes_nothing():
    response = Client(enforce_csrf_checks=True).post("/tai-khoan/dang-nhap/", {"username": "dieuphoi",
                                                                               "password": "x"})
    page = _assert_site_page(response, 403, "Phiên làm việc đã hết hạn")
    assert "CSRF" not in page


@pytest.mark.django_db
def test_a_nul_in_an_address_is_a_vietnamese_400():
    _assert_site_page(client_for("coordinator").get("/don-vi/?q=a%00b"), 400, "Yêu cầu không hợp lệ")


@pytest.mark.django_db
def test_a_nul_in_a_form_field_gets_a_vietnamese_message():
    response = Client().post("/tai-khoan/dang-nhap/", {"username": "dieu\x00phoi", "password": "x"})
    assert response.status_code == 200
    assert "ký tự NUL" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls("tests.test_error_pages")
def test_a_server_error_is_a_vietnamese_500_that_needs_neither_the_database_nor_context_processors(monkeypatch):
    def broken(request):  # type: ignore[no-untyped-def]
        raise RuntimeError("the database is down")

    monkeypatch.setattr("chiso.core.context_processors.navigation", broken)
    response = Client(raise_request_exception=False).get("/hong/")
    _assert_site_page(response, 500, "Lỗi hệ thống")


@pytest.mark.django_db
def test_an_error_page_follows_the_language_the_user_chose():
    client = client_for("coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/khong-co/").content.decode()
    assert '<html lang="en">' in page


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "focal_point", "viewer", "anonymous"])
def test_every_html_page_carries_the_policy(demo_plan, role):
    client = client_for(role)
    for url in ["/", "/ke-hoach/", f"/ke-hoach/{demo_plan.pk}/", "/theo-doi/", "/ket-qua/", "/bo-chi-so/",
                "/tai-khoan/dang-nhap/", "/quan-tri/"]:
        response = client.get(url, follow=True)
        assert response["Content-Type"].startswith("text/html")
        assert response["Content-Security-Policy"] == POLICY, url


def test_the_policy_allows_nothing_inline_and_nothing_from_elsewhere():
    directives = dict(d.split(" ", 1) for d in POLICY.split("; "))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe" not in POLICY and "*" not in POLICY
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"


FORBIDDEN = [(re.compile(r"<script(?![^>]*\b(src=|type=\"application/json\"))[^>]*>", re.I), "inline <script>"),
             (re.compile(r"\son[a-z]+\s*=", re.I), "on* attribute"),
             (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
             (re.compile(r"javascript:", re.I), "javascript: URL")]


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_carries_inline_script_handlers_or_styles(template):
    text = template.read_text(encoding="utf-8")
    found = [what for pattern, what in FORBIDDEN if pattern.search(text)]
    assert not found, f"{template}: {found}"
