"""In a real browser: the unit's leader hands the plan draft waiting for approval back to the focal point with
a comment; the focal point finds it in "Việc cần làm", opens the plan in one click and reads the comment, on the
page and in the chain of steps."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from chiso.accounts.models import User
from chiso.plans.approval import request_approval
from chiso.plans.models import Plan
from chiso.plans.services import derive_unit_plan
from tests.conftest import USERNAMES, login  # the session's Chromium is conftest's `browser` fixture

pytestmark = pytest.mark.browser

COMMENT = "Bổ sung sản phẩm cho nhiệm vụ niêm yết thủ tục hành chính"


def _plan_waiting_for_the_leader() -> Plan:
    focal = User.objects.get(username=USERNAMES["focal_point"])
    province_plan = Plan.objects.get(province__code="tuyen-quang", parent__isnull=True, status="issued")
    plan = derive_unit_plan(province_plan, focal.unit)
    request_approval(plan, focal)
    return plan


def test_the_leader_returns_the_plan_and_the_focal_point_reads_the_comment(browser, live_server):
    plan = _plan_waiting_for_the_leader()
    leader = browser.new_context(locale="vi-VN").new_page()
    login(leader, live_server, USERNAMES["leader"])
    leader.goto(f"{live_server.url}/ke-hoach/{plan.pk}/")
    leader.click("summary:has-text('Trả lại cán bộ đầu mối')")
    leader.fill("#leader-comment", COMMENT)
    leader.click("button[name=return-to-focal-point]")
    expect(leader.locator("body")).to_contain_text("Đã trả lại dự thảo kế hoạch cho cán bộ đầu mối.")
    expect(leader.locator("summary:has-text('Trả lại cán bộ đầu mối')")).to_have_count(0)

    focal = browser.new_context(locale="vi-VN").new_page()
    login(focal, live_server, USERNAMES["focal_point"])
    item = focal.locator(".todo li", has_text="bị lãnh đạo đơn vị trả lại")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(COMMENT)
    item.locator("a").first.click()
    focal.wait_for_url(f"**/ke-hoach/{plan.pk}/")
    expect(focal.locator(".leader-comment")).to_contain_text(COMMENT)
    expect(focal.locator(".chain-step", has_text=f"Lãnh đạo đơn vị trả lại: {COMMENT}")).to_have_count(1)
    expect(focal.locator("button:has-text('Trình lãnh đạo duyệt')")).to_have_count(1)
