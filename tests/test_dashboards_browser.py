"""The dashboards in a real browser: the province dashboard draws its charts and drills down to a unit's
overdue task; a focal point finds their unit's page from the navigation and its standing in the ranking; the
coordinator changes the emulation weights and the ranking states the new formula; the province leader reads
the page of an index."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from chiso.plans.models import Plan, PlanStatus
from tests.conftest import login  # the session's Chromium is conftest's `browser` fixture

pytestmark = pytest.mark.browser


def _drawn(page, chart: str) -> None:  # type: ignore[no-untyped-def]
    canvas = page.locator(f"canvas[data-chart='{chart}'][data-drawn='1']")
    canvas.wait_for()
    box = canvas.bounding_box()
    assert box and box["width"] > 150 and box["height"] > 150


@pytest.mark.django_db(transaction=True)
def test_dashboards_draw_their_charts_and_lead_to_late_work(browser, live_server):
    plan = Plan.objects.get(province__code="tuyen-quang", parent__isnull=True, status=PlanStatus.ISSUED)
    errors: list[str] = []

    coordinator = browser.new_context(locale="vi-VN").new_page()
    coordinator.on("pageerror", lambda error: errors.append(str(error)))
    login(coordinator, live_server, "dieuphoi")
    coordinator.goto(f"{live_server.url}/theo-doi/ke-hoach/{plan.pk}/")
    for chart in ("on-time-chart", "index-chart", "node-chart", "unit-chart"):
        _drawn(coordinator, chart)
    # Drill-down: the unit with the most overdue tasks (first row), then one of its tasks.
    coordinator.locator("table.dashboard-units tbody tr").first.locator("a").first.click()
    coordinator.locator("#overdue tr.overdue-row a").first.click()
    coordinator.wait_for_url("**/nhiem-vu/**")

    coordinator.goto(f"{live_server.url}/theo-doi/thi-dua/cach-tinh/")
    coordinator.fill("#id_task_weight", "55")
    coordinator.fill("#id_report_weight", "45")
    coordinator.click("button:has-text('Lưu')")
    coordinator.wait_for_url("**/theo-doi/thi-dua/")
    assert (
        "100 × (55 × tỷ lệ hoàn thành nhiệm vụ đúng hạn + 45 × tỷ lệ báo cáo đúng hạn)"
        in coordinator.locator("#formula").inner_text()
    )
    _drawn(coordinator, "score-chart")

    focal = browser.new_context(locale="vi-VN").new_page()
    focal.on("pageerror", lambda error: errors.append(str(error)))
    login(focal, live_server, "daumoi.minhxuan")
    focal.click("nav >> text=Đơn vị của tôi")
    assert "Phường Minh Xuân" in focal.locator("h1").inner_text()
    expect(focal.locator("#overdue .badge-late").first).to_be_visible()  # the demo's 2025 tasks are past due
    focal.click("#standing >> text=Xem bảng xếp hạng")
    assert focal.locator("tr.own").inner_text().startswith(focal.locator("tr.own td").first.inner_text())
    assert "Phường Minh Xuân" in focal.locator("tr.own").inner_text()

    leader = browser.new_context(locale="vi-VN").new_page()
    leader.on("pageerror", lambda error: errors.append(str(error)))
    login(leader, live_server, "lanhdaotinh")
    leader.goto(f"{live_server.url}/theo-doi/")
    leader.click("a.btn:has-text('PAPI')")
    assert "PAPI 2024" in leader.locator("#results").inner_text()
    _drawn(leader, "node-chart")
    assert errors == []
