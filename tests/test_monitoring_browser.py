"""The reporting flow in a real browser: the focal point drafts the quarterly report with an evidence file and
asks the unit's leader to approve it; the leader confirms what is still incomplete and sends it; the
coordinator returns it with a comment; it is corrected, approved and sent again, and accepted; both versions
stay readable."""

from __future__ import annotations

import re

import pytest

from chiso.monitoring.models import ReportStatus, UnitReport
from chiso.plans.models import Plan, PlanStatus
from tests.conftest import login  # the session's Chromium is conftest's `browser` fixture
from tests.monitoring_helpers import pdf_bytes

pytestmark = pytest.mark.browser


def _page(browser, live_server, username: str):  # type: ignore[no-untyped-def]
    page = browser.new_context(locale="vi-VN").new_page()
    login(page, live_server, username)
    return page


def _edit_first_line(page, **fields: str) -> None:  # type: ignore[no-untyped-def]
    page.locator("tbody.line >> a:has-text('Cập nhật')").first.click()
    form = page.locator("form.line-form")
    form.wait_for()
    if "status" in fields:
        form.locator("select[name=status]").select_option(label=fields["status"])
    for name in ("progress", "indicator_value"):
        if name in fields:
            form.locator(f"input[name={name}]").fill(fields[name])
    if "work_done" in fields:
        form.locator("textarea[name=work_done]").fill(fields["work_done"])
    form.locator("button[type=submit]").click()
    page.locator("form.line-form").wait_for(state="detached")


def _periods_already_made(coordinator, live_server, plan: Plan) -> None:  # type: ignore[no-untyped-def]
    coordinator.goto(f"{live_server.url}/ke-hoach/{plan.pk}/")
    coordinator.click("a.btn:has-text('Kỳ báo cáo')")
    # The demo made the periods from the plan's regime; making them again adds none.
    assert coordinator.locator("tr:has-text('Quý III/2025')").inner_text().count("15/09/2025") == 1
    coordinator.click("button:has-text('Tạo các kỳ theo chế độ báo cáo')")
    coordinator.wait_for_selector("text=Các kỳ báo cáo theo chế độ báo cáo của kế hoạch đã có đủ.")


def _focal_point_drafts_with_evidence(focal) -> str:  # type: ignore[no-untyped-def]
    """The first line updated and proven by a PDF, then the draft goes to the leader; the report's address."""
    focal.click("nav >> text=Theo dõi, báo cáo")
    focal.click("tr:has-text('Quý III/2025') >> a:has-text('Chưa lập')")
    focal.click("button:has-text('Lập báo cáo')")
    focal.wait_for_selector("text=Đã lập dự thảo báo cáo")
    _edit_first_line(focal, status="Đang thực hiện", progress="60", indicator_value="97,8",
                     work_done="Đã niêm yết đầy đủ TTHC tại bộ phận một cửa")
    first_row = focal.locator("tbody.line").first
    assert "Đang thực hiện" in first_row.inner_text() and "97,8" in first_row.inner_text()
    first_row.locator("a:has-text('Cập nhật')").click()
    # The file input, not the phone camera's photo input beside it.
    focal.get_by_label("Tệp minh chứng", exact=True).set_input_files(
        {"name": "bien-ban-kiem-tra.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()})
    focal.get_by_role("button", name="Tải lên", exact=True).click()
    focal.wait_for_selector("text=Đã tải lên minh chứng “bien-ban-kiem-tra.pdf”")
    # The focal point drafts but does not send: the unit's leader is asked to approve.
    assert focal.locator("button:has-text('Duyệt và gửi Sở Nội vụ')").count() == 0
    _request_approval(focal)
    return focal.url.split("#")[0]


def _request_approval(focal) -> None:  # type: ignore[no-untyped-def]
    focal.click("button[name=request-approval]")
    focal.wait_for_selector("text=Đã báo lãnh đạo đơn vị duyệt báo cáo.")


def _leader_confirms_and_sends(leader, report_url: str) -> None:  # type: ignore[no-untyped-def]
    """The other lines are not updated: the leader sees them listed and confirms sending all the same."""
    leader.goto(report_url)
    assert "điểm chưa đầy đủ" in leader.locator("#before-sending").inner_text()
    confirm = leader.locator("#confirm-incomplete")
    assert confirm.evaluate("box => !box.form.checkValidity()")  # the form does not go until confirmed
    confirm.check()
    leader.click("#before-sending button[name=submit-report]")
    leader.wait_for_selector("text=Đã duyệt và gửi báo cáo về Sở Nội vụ.")


def _coordinator_returns(coordinator, live_server, report: UnitReport) -> None:  # type: ignore[no-untyped-def]
    coordinator.goto(f"{live_server.url}/theo-doi/ky-bao-cao/{report.period_id}/")
    coordinator.click("tr:has-text('Phường Minh Xuân') >> a:has-text('Đã gửi, chờ thẩm định')")
    with coordinator.expect_download() as download:
        coordinator.click("a.evidence-link:has-text('bien-ban-kiem-tra.pdf')")
    assert download.value.suggested_filename == "bien-ban-kiem-tra.pdf"
    coordinator.fill("textarea[name=comment]", "Bổ sung số, ngày văn bản niêm yết.")
    coordinator.click("button:has-text('Trả lại đơn vị')")
    coordinator.wait_for_selector("text=Đã trả lại báo cáo để đơn vị chỉnh sửa.")


def _coordinator_accepts_and_reads_version_1(coordinator, report_url: str) -> None:  # type: ignore[no-untyped-def]
    coordinator.goto(report_url)
    coordinator.click("button:has-text('Chấp nhận báo cáo')")
    coordinator.wait_for_selector("text=Đã chấp nhận báo cáo.")
    assert coordinator.locator("tr.version-row").count() == 2
    coordinator.click("tr.version-row >> a:has-text('Lần 1')")
    coordinator.wait_for_url(re.compile(r".*/lan-gui/1/$"))
    first_version = coordinator.inner_text("main")
    assert "Đã niêm yết đầy đủ TTHC tại bộ phận một cửa" in first_version
    assert "Bổ sung số, ngày văn bản niêm yết." in first_version and "bien-ban-kiem-tra.pdf" in first_version


@pytest.mark.django_db(transaction=True)
def test_quarterly_report_is_drafted_submitted_returned_corrected_and_accepted(
        browser, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    plan = Plan.objects.get(province__code="tuyen-quang", parent__isnull=True, status=PlanStatus.ISSUED)
    coordinator = _page(browser, live_server, "dieuphoi")
    _periods_already_made(coordinator, live_server, plan)

    focal = _page(browser, live_server, "daumoi.minhxuan")
    report_url = _focal_point_drafts_with_evidence(focal)
    report = UnitReport.objects.get(period__label="Quý III/2025", unit__code="phuong-minh-xuan")
    leader = _page(browser, live_server, "lanhdao.minhxuan")
    _leader_confirms_and_sends(leader, report_url)
    _coordinator_returns(coordinator, live_server, report)

    focal.goto(report_url)
    assert "Bổ sung số, ngày văn bản niêm yết." in focal.inner_text(".review-comment")
    _edit_first_line(focal, work_done="Đã niêm yết đầy đủ TTHC (Thông báo số 15/TB-UBND ngày 05/9/2025)")
    _request_approval(focal)
    _leader_confirms_and_sends(leader, report_url)
    _coordinator_accepts_and_reads_version_1(coordinator, report_url)

    report.refresh_from_db()
    assert (report.status, report.version_count) == (ReportStatus.ACCEPTED, 2)
    outcomes = list(report.versions.order_by("number").values_list("outcome", flat=True))
    assert outcomes == [ReportStatus.RETURNED, ReportStatus.ACCEPTED]
