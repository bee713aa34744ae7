"""The daily work in a real browser (Playwright + Debian's chromium): each role reaches its first task from
"Việc cần làm" in one click; the leader returns a report with a comment, the focal point corrects it, the
leader sends after the completeness warning; the coordinator chases two late units and downloads the letter;
the unit's flow on a 390 px phone without sideways scrolling; axe-core finds no serious or critical
violation on the main pages of every role."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from chiso.monitoring.models import ReportStatus, UnitReport
from chiso.monitoring.periods import generate_periods
from chiso.plans.models import Plan, PlanStatus
from tests.browser_checks import AXE, axe_serious_violations
from tests.conftest import login  # the session's Chromium is conftest's `browser` fixture

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def periods(browser) -> Plan:  # type: ignore[no-untyped-def]
    plan = Plan.objects.get(province__code="tuyen-quang", parent__isnull=True, status=PlanStatus.ISSUED)
    generate_periods(plan)
    return plan


def _page(browser, live_server, username: str, viewport: dict | None = None):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        locale="vi-VN", viewport=viewport or {"width": 1366, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    login(page, live_server, username)
    return page


def _first_todo(page):  # type: ignore[no-untyped-def]
    return page.locator(".todo-list .todo-item a").first


def _no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url}: {width} px wide"


@pytest.mark.django_db(transaction=True)
def test_each_role_reaches_its_first_task_from_the_todo_list_in_one_click(browser, live_server, periods):
    focal = _page(browser, live_server, "daumoi.minhxuan")
    assert "Việc cần làm" in focal.content()
    _first_todo(focal).click()
    focal.wait_for_load_state()
    # The most pressing first: the unit's overdue tasks, where they are listed to update.
    assert focal.url.endswith("/theo-doi/don-vi/#overdue") and focal.locator("#overdue").count() == 1
    focal.goto(f"{live_server.url}/")
    focal.locator(".todo-list a:has-text('Lập báo cáo')").first.click()
    focal.click("button:has-text('Lập báo cáo')")
    focal.click("button[name=request-approval]")
    assert "Chờ lãnh đạo đơn vị duyệt" in focal.content()

    leader = _page(browser, live_server, "lanhdao.minhxuan")
    assert leader.locator(".bell-count").inner_text() == "1"
    leader.click(".todo-list a:has-text('Duyệt và gửi báo cáo')")
    expect(leader.locator("#before-sending")).to_have_count(1)
    assert "/theo-doi/bao-cao/" in leader.url

    coordinator = _page(browser, live_server, "dieuphoi")
    _first_todo(coordinator).click()
    coordinator.wait_for_load_state()
    assert "/theo-doi/ky-bao-cao/" in coordinator.url and "trang-thai=" in coordinator.url
    assert coordinator.locator("table.report-status tbody tr").count() > 0

    viewer = _page(browser, live_server, "lanhdaotinh")
    assert "/theo-doi/chi-so/" in viewer.url and "Chưa có kết quả công bố" not in viewer.content()


@pytest.mark.django_db(transaction=True)
def test_leader_returns_with_a_comment_focal_point_corrects_leader_sends_after_the_warning(
    browser, live_server, periods
):
    period = periods.reporting_periods.get(label="Quý III/2025")
    focal = _page(browser, live_server, "daumoi.minhxuan")
    focal.goto(f"{live_server.url}/theo-doi/ky-bao-cao/{period.pk}/bao-cao-cua-don-vi/")
    focal.click("button:has-text('Lập báo cáo')")
    focal.click("button[name=request-approval]")
    report = UnitReport.objects.get(period=period, unit__code="phuong-minh-xuan")

    leader = _page(browser, live_server, "lanhdao.minhxuan")
    leader.goto(f"{live_server.url}/theo-doi/bao-cao/{report.pk}/")
    assert "điểm chưa đầy đủ" in leader.locator("#before-sending").inner_text()
    leader.fill("#leader-comment", "Cập nhật tiến độ nhiệm vụ đầu tiên")
    leader.click("button[name=return-to-focal-point]")
    assert "Đã trả lại báo cáo cho cán bộ đầu mối" in leader.content()

    focal.goto(f"{live_server.url}/")
    focal.click(".todo-list a:has-text('lãnh đạo đơn vị trả lại')")
    assert "Cập nhật tiến độ nhiệm vụ đầu tiên" in focal.locator(".leader-comment").inner_text()
    focal.locator("a:has-text('Cập nhật')").first.click()
    form = focal.locator("form.line-form")
    form.locator("select[name=status]").select_option("in_progress")
    form.locator("input[name=progress]").fill("40")
    form.locator("textarea[name=work_done]").fill("Đã xây dựng dự thảo văn bản")
    form.locator("button[type=submit]").click()
    focal.wait_for_selector("tbody.line:not(.editing) >> text=Đang thực hiện")
    focal.click("button[name=request-approval]")

    leader.goto(f"{live_server.url}/theo-doi/bao-cao/{report.pk}/")
    leader.check("#confirm-incomplete")
    leader.click("#before-sending button[name=submit-report]")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


@pytest.mark.django_db(transaction=True)
def test_coordinator_chases_two_late_units_and_downloads_the_letter(browser, live_server, periods):
    period = periods.reporting_periods.get(label="Quý III/2025")
    page = _page(browser, live_server, "dieuphoi")
    page.goto(f"{live_server.url}/theo-doi/ky-bao-cao/{period.pk}/?trang-thai=tre-han")
    boxes = page.locator("input[name=don-vi]")
    assert boxes.count() >= 2
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.click("button[name=chase]")
    assert "Đã nhắc 2 đơn vị" in page.content()
    with page.expect_download() as download:
        page.click("a:has-text('Tải công văn đôn đốc')")
    assert download.value.suggested_filename.endswith(".docx")
    assert Path(download.value.path()).stat().st_size > 5000


@pytest.mark.django_db(transaction=True)
def test_the_unit_flow_on_a_phone_has_no_sideways_scroll(browser, live_server, periods, tmp_path):
    period = periods.reporting_periods.get(label="Quý III/2025")
    focal = _page(browser, live_server, "daumoi.minhxuan", PHONE)
    _no_sideways_scroll(focal)
    assert not focal.locator("#mainnav").is_visible()
    focal.click(".menu-button")
    assert focal.locator("#mainnav").is_visible()
    focal.goto(f"{live_server.url}/theo-doi/ky-bao-cao/{period.pk}/bao-cao-cua-don-vi/")
    focal.click("button:has-text('Lập báo cáo')")
    _no_sideways_scroll(focal)
    focal.locator("a:has-text('Cập nhật')").first.click()
    form = focal.locator("form.line-form")
    form.locator("select[name=status]").select_option("in_progress")
    form.locator("input[name=progress]").fill("60")
    form.locator("textarea[name=work_done]").fill("Đã tổ chức hội nghị")
    _no_sideways_scroll(focal)
    form.locator("button[type=submit]").click()
    focal.wait_for_selector("tbody.line:not(.editing) >> text=Đang thực hiện")
    focal.locator("a:has-text('Cập nhật')").first.click()
    photo = focal.locator("input[accept='image/*'][capture=environment]").first
    from tests.monitoring_helpers import jpeg_bytes

    image = tmp_path / "anh.jpg"
    image.write_bytes(jpeg_bytes())
    photo.set_input_files(str(image))
    focal.locator("form.photo-form button[type=submit]").first.click()
    assert "Đã tải lên minh chứng" in focal.content()
    _no_sideways_scroll(focal)

    leader = _page(browser, live_server, "lanhdao.minhxuan", PHONE)
    report = UnitReport.objects.get(period=period, unit__code="phuong-minh-xuan")
    leader.goto(f"{live_server.url}/theo-doi/bao-cao/{report.pk}/")
    _no_sideways_scroll(leader)
    leader.check("#confirm-incomplete")
    leader.click("#before-sending button[name=submit-report]")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    _no_sideways_scroll(leader)


MAIN_PAGES = {
    "dieuphoi": ["/", "/ke-hoach/", "/theo-doi/", "/theo-doi/thong-bao/"],
    "daumoi.minhxuan": ["/", "/ke-hoach/nhiem-vu-cua-don-vi/", "/theo-doi/don-vi/"],
    "lanhdao.minhxuan": ["/", "/theo-doi/don-vi/"],
    "lanhdaotinh": ["/theo-doi/chi-so/PAR_INDEX/", "/theo-doi/thi-dua/"],
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not AXE.exists(), reason="axe-core is installed by npm (package.json devDependencies)")
def test_axe_finds_no_serious_or_critical_violation_on_the_main_pages(browser, live_server, periods):
    period = periods.reporting_periods.get(label="Quý III/2025")
    found = {}
    for username, urls in MAIN_PAGES.items():
        page = _page(browser, live_server, username)
        extra = [f"/theo-doi/ky-bao-cao/{period.pk}/"] if username == "dieuphoi" else []
        for url in urls + extra:
            page.goto(f"{live_server.url}{url}")
            violations = axe_serious_violations(page)
            if violations:
                found[f"{username} {url}"] = violations
    assert not found, found
