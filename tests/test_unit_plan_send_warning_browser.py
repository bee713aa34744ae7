"""In a real browser: the unit's leader opens a plan with a task nobody leads, reads the warning, follows its
link to the task, comes back, cannot send before ticking the box, ticks it and sends."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from chiso.accounts.models import User
from chiso.plans.approval import request_approval
from chiso.plans.models import Plan, PlanStatus
from chiso.plans.services import derive_unit_plan
from tests.conftest import USERNAMES, login  # the session's Chromium is conftest's `browser` fixture

pytestmark = pytest.mark.browser


def _incomplete_plan_waiting_for_the_leader() -> tuple[Plan, int]:
    focal = User.objects.get(username=USERNAMES["focal_point"])
    province_plan = Plan.objects.get(province__code="tuyen-quang", parent__isnull=True, status="issued")
    plan = derive_unit_plan(province_plan, focal.unit)
    leaderless = plan.tasks.order_by("order", "id").first()
    leaderless.lead_units.clear()
    request_approval(plan, focal)
    return plan, leaderless.pk


def test_the_leader_reads_the_gap_follows_it_and_sends_once_confirmed(browser, live_server):
    plan, task_pk = _incomplete_plan_waiting_for_the_leader()
    leader = browser.new_context(locale="vi-VN").new_page()
    login(leader, live_server, USERNAMES["leader"])
    leader.goto(f"{live_server.url}/ke-hoach/{plan.pk}/")
    box = leader.locator("#before-sending")
    expect(box).to_contain_text("Trước khi gửi: 1 điểm chưa đầy đủ")
    expect(box.locator("li")).to_contain_text("chưa có đơn vị chủ trì")
    box.locator("li a").click()
    leader.wait_for_url(f"**/ke-hoach/{plan.pk}/nhiem-vu/{task_pk}/")
    leader.go_back()
    leader.click("#before-sending button[name=submit-plan]")  # not ticked: the browser keeps the form
    assert leader.locator("#confirm-incomplete").evaluate("box => box.validity.valueMissing")
    expect(box).to_contain_text("Trước khi gửi: 1 điểm chưa đầy đủ")
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT
    leader.check("#confirm-incomplete")
    leader.click("#before-sending button[name=submit-plan]")
    expect(leader.locator("body")).to_contain_text("Đã gửi kế hoạch của đơn vị về Sở Nội vụ.")
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED
