"""Key flows in a real browser: Playwright driving Debian's chromium against a live chiso."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from chiso.frameworks.models import Node
from chiso.plans.models import Assignment
from tests.conftest import login  # the session's Chromium is conftest's `browser` fixture

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_coordinator_adds_a_task_with_two_lead_units_and_a_focal_point_finds_it(browser, live_server):
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    login(page, live_server, "dieuphoi")
    page.click("text=Kế hoạch >> nth=0")
    page.click("a:has-text('Duy trì, cải thiện và nâng cao kết quả Chỉ số')")
    page.click("a:has-text('Phụ lục')")
    expect(page.locator("tr.task-row")).to_have_count(
        124
    )  # waits for the whole table, not the first rows parsed
    page.click("a.btn:has-text('Thêm nhiệm vụ')")
    form = page.locator("form.task-form")
    form.wait_for()
    papi_2 = Node.objects.get(framework__slug="papi-2021", code="2")
    form.locator("select[name=nodes]").select_option(value=str(papi_2.pk))
    form.locator("textarea[name=content]").fill(
        "Đăng tải công khai dự toán, quyết toán ngân sách cấp xã trên cổng TTĐT"
    )
    form.locator("select[name=lead]").select_option(label=["Sở Khoa học và Công nghệ", "Phường Minh Xuân"])
    form.locator("input[name=schedule_text]").fill("Quý IV")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("tr.task-row >> text=Đăng tải công khai dự toán")
    page.screenshot(path="test-results/appendix-after-add.png", full_page=False)
    assert Assignment.objects.filter(task__content__startswith="Đăng tải công khai dự toán").count() == 2
    context.close()

    focal = browser.new_context(locale="vi-VN").new_page()
    login(focal, live_server, "daumoi.minhxuan")
    focal.click("nav >> text=Nhiệm vụ của đơn vị")
    row = focal.locator("table.my-tasks tr", has_text="Đăng tải công khai dự toán")
    expect(row).to_have_count(1)
    assert "31/12/2025" in row.inner_text()


@pytest.mark.django_db(transaction=True)
def test_bad_task_form_shows_vietnamese_errors_in_place(browser, live_server):
    page = browser.new_context(locale="vi-VN").new_page()
    login(page, live_server, "dieuphoi")
    page.goto(f"{live_server.url}/ke-hoach/")
    page.click("a:has-text('Duy trì, cải thiện và nâng cao kết quả Chỉ số')")
    page.click("a:has-text('Phụ lục')")
    page.click("a.btn:has-text('Thêm nhiệm vụ')")
    page.locator("form.task-form textarea[name=content]").fill("Thiếu cơ quan chủ trì")
    page.locator("form.task-form button[type=submit]").click()
    page.wait_for_selector("text=Chọn ít nhất một cơ quan chủ trì.")
    assert page.locator("text=Chọn ít nhất một nội dung chỉ số.").count() == 1


@pytest.mark.django_db(transaction=True)
def test_results_analysis_draws_its_charts_and_what_if_projects_a_rank(browser, live_server):
    from chiso.results.models import Result

    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(page, live_server, "dieuphoi")
    page.click("nav >> text=Kết quả chỉ số")
    page.wait_for_selector("canvas[data-chart='ranking-chart'][data-drawn='1']")
    page.click("a:has-text('Bắc Kạn (cũ)')")  # the latest year's table
    result = Result.objects.get(province__code="bac-kan-cu", year=2021)
    page.goto(f"{live_server.url}/ket-qua/{result.pk}/")
    for chart in ("profile-chart", "trend-chart"):
        canvas = page.locator(f"canvas[data-chart='{chart}'][data-drawn='1']")
        canvas.wait_for()
        box = canvas.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 200
    assert "42,153/80 điểm, giảm 0,567 điểm" in page.locator("#written-analysis").input_value()
    page.click("a:has-text('Giả định')")
    page.fill("#t_8\\.1", "1,46")
    page.fill("#t_1\\.1", "1,16")
    page.click("button:has-text('Tính')")
    assert "43,653" in page.locator("#projection").inner_text()
    page.wait_for_selector("canvas[data-chart='gains-chart'][data-drawn='1']")
    assert errors == []
