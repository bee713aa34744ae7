"""Before the unit's leader sends its plan to Sở Nội vụ they see what is still incomplete (a task nobody leads, a
task without a time frame, a task of the province's plan assigned to the unit that the plan does not carry, a
plan without any task), each naming the task and linking to it, and must confirm to send anyway, as for a
report. A complete plan goes in one click as before."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from chiso.accounts.models import User
from chiso.orgs.models import Unit
from chiso.plans.approval import request_approval
from chiso.plans.completeness import task_label, unit_plan_gaps
from chiso.plans.models import Plan, PlanStatus, ScheduleKind, Task
from chiso.plans.services import TaskData, save_task
from tests.accounts_helpers import logged_in, make_other_province_coordinator
from tests.conftest import USERNAMES, client_for

pytestmark = pytest.mark.django_db

WARNING = "điểm chưa đầy đủ"
REFUSED = "Kế hoạch còn nội dung chưa đầy đủ"
CONFIRM = {"confirm_incomplete": "1"}


def _user(role: str) -> User:
    return User.objects.get(username=USERNAMES[role])


def _client(role: str) -> Client:
    return logged_in(make_other_province_coordinator()) if role == "other_province" else client_for(role)


def _waiting_leader(demo_plan: Plan) -> Plan:
    """Derived by the focal point through the page (complete: every assigned task, led by the unit, with
    the province's time frames), then put to the leader."""
    assert client_for("focal_point").post(f"/ke-hoach/{demo_plan.pk}/xay-dung-ke-hoach-don-vi/").status_code == 302
    plan = Plan.objects.get(parent=demo_plan, owner_unit=_user("focal_point").unit)
    request_approval(plan, _user("focal_point"))
    return plan


def _remove_time_frame(task: Task) -> None:
    Task.objects.filter(pk=task.pk).update(due_date=None, fixed_due_date=None, schedule_kind=ScheduleKind.UNSPECIFIED)


def _with_each_gap(plan: Plan) -> dict[str, Task]:
    """The focal point's draft with one task of each incomplete kind: its lead removed, its time frame removed,
    and one task of the province's share deleted from the plan (its source is what the warning names)."""
    leaderless, timeless, dropped = list(plan.tasks.order_by("order", "id"))[:3]
    leaderless.lead_units.clear()
    leaderless.lead_groups.clear()
    _remove_time_frame(timeless)
    source = dropped.source_task
    assert source is not None
    dropped.delete()
    return {"leaderless": leaderless, "timeless": Task.objects.get(pk=timeless.pk), "not_carried": source}


def _expected(plan: Plan, tasks: dict[str, Task]) -> dict[str, tuple[str, str]]:
    """Each kind's text and link, as the leader should read them."""
    return {
        "leaderless": (f"Nhiệm vụ {task_label(tasks['leaderless'])}: chưa có đơn vị chủ trì.",
                       f"/ke-hoach/{plan.pk}/nhiem-vu/{tasks['leaderless'].pk}/"),
        "timeless": (f"Nhiệm vụ {task_label(tasks['timeless'])}: chưa có thời hạn hoàn thành.",
                     f"/ke-hoach/{plan.pk}/nhiem-vu/{tasks['timeless'].pk}/"),
        "not_carried": (f"Nhiệm vụ {task_label(tasks['not_carried'])} của kế hoạch tỉnh giao cho đơn vị chưa có "
                        "trong kế hoạch.", f"/ke-hoach/{plan.parent_id}/nhiem-vu/{tasks['not_carried'].pk}/"),
    }


def _state(plan: Plan) -> tuple[Any, ...]:
    fresh = Plan.objects.get(pk=plan.pk)
    return (fresh.status, fresh.lock_version, fresh.submitted_at, fresh.approval_requested_at,
            fresh.history.count(), fresh.tasks.count())


def _send(role: str, plan: Plan, **extra: str) -> Any:
    return _client(role).post(f"/ke-hoach/{plan.pk}/gui/", {"lock_version": plan.lock_version, **extra})


# --- What the leader sees --------------------------------------------------------------------------------


def test_the_gaps_name_each_incomplete_task_and_where_to_fix_it(demo_plan):
    plan = _waiting_leader(demo_plan)
    expected = _expected(plan, _with_each_gap(plan))
    gaps = unit_plan_gaps(plan)
    assert [(gap.text, gap.link) for gap in gaps] == [expected["leaderless"], expected["timeless"],
                                                      expected["not_carried"]]


def test_a_task_without_lead_nor_time_frame_is_one_gap_naming_both(demo_plan):
    plan = _waiting_leader(demo_plan)
    task = plan.tasks.order_by("order", "id").first()
    task.lead_units.clear()
    _remove_time_frame(task)
    [gap] = unit_plan_gaps(plan)
    assert gap.text == f"Nhiệm vụ {task_label(task)}: chưa có đơn vị chủ trì; chưa có thời hạn hoàn thành."


def test_a_plan_without_any_task_is_a_gap_pointing_to_its_appendix(demo_plan):
    plan = _waiting_leader(demo_plan)
    assigned = plan.tasks.count()
    plan.tasks.all().delete()
    gaps = unit_plan_gaps(plan)
    assert (gaps[0].text, gaps[0].link) == ("Kế hoạch chưa có nhiệm vụ nào: thêm nhiệm vụ vào phụ lục.",
                                            f"/ke-hoach/{plan.pk}/phu-luc/")
    assert len(gaps) == 1 + assigned  # every task of the unit's share is then missing too


def test_the_leader_sees_every_gap_linked_and_a_box_to_confirm(demo_plan):
    plan = _waiting_leader(demo_plan)
    expected = _expected(plan, _with_each_gap(plan))
    page = client_for("leader").get(f"/ke-hoach/{plan.pk}/").content.decode()
    box = page.split('id="before-sending"', 1)[1].split("</div>\n", 1)[0]
    assert "Trước khi gửi: 3 điểm chưa đầy đủ" in box
    for text, link in expected.values():
        assert f'<a href="{link}">{escape(text)}</a>' in box
    assert 'name="confirm_incomplete"' in box and "vẫn duyệt, gửi kế hoạch" in box
    # Only the form with the box sends: the one-click button of the actions bar is gone.
    assert page.count(f'action="/ke-hoach/{plan.pk}/gui/"') == 1


def test_a_complete_plan_shows_no_warning_and_keeps_its_one_click_button(demo_plan):
    plan = _waiting_leader(demo_plan)
    assert unit_plan_gaps(plan) == []
    page = client_for("leader").get(f"/ke-hoach/{plan.pk}/").content.decode()
    assert WARNING not in page and 'name="confirm_incomplete"' not in page
    assert page.count(f'action="/ke-hoach/{plan.pk}/gui/"') == 1 and 'name="submit-plan"' in page


@pytest.mark.parametrize("role", ["admin", "coordinator", "focal_point", "viewer", "other_commune",
                                  "department_focal_point", "other_province"])
def test_only_the_units_leader_is_shown_the_warning(demo_plan, role):
    plan = _waiting_leader(demo_plan)
    _with_each_gap(plan)
    response = _client(role).get(f"/ke-hoach/{plan.pk}/")
    assert response.status_code == (200 if role in ("admin", "coordinator", "focal_point", "viewer") else 404)
    assert WARNING not in response.content.decode() and "confirm_incomplete" not in response.content.decode()


# --- Sending ---------------------------------------------------------------------------------------------


def test_sending_an_incomplete_plan_without_confirming_changes_nothing(demo_plan):
    plan = _waiting_leader(demo_plan)
    _with_each_gap(plan)
    before = _state(plan)
    response = _send("leader", plan)
    assert response.status_code == 400
    page = response.content.decode()
    assert REFUSED in page and "kế hoạch chưa được gửi" in page and "Trước khi gửi: 3 điểm chưa đầy đủ" in page
    assert _state(plan) == before


def test_an_incomplete_plan_goes_once_the_leader_confirms(demo_plan):
    plan = _waiting_leader(demo_plan)
    _with_each_gap(plan)
    response = _client("leader").post(f"/ke-hoach/{plan.pk}/gui/", {"lock_version": plan.lock_version, **CONFIRM},
                                      follow=True)
    assert "Đã gửi kế hoạch của đơn vị về Sở Nội vụ." in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and plan.submitted_by == _user("leader")


def test_a_complete_plan_goes_in_one_click(demo_plan):
    plan = _waiting_leader(demo_plan)
    assert _send("leader", plan).status_code == 302
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED


def test_a_plan_without_any_task_is_not_sent_even_confirmed(demo_plan):
    plan = _waiting_leader(demo_plan)
    plan.tasks.all().delete()
    before = _state(plan)
    assert _send("leader", plan).status_code == 400
    response = _client("leader").post(f"/ke-hoach/{plan.pk}/gui/", {"lock_version": plan.lock_version, **CONFIRM},
                                      follow=True)
    assert "Kế hoạch chưa có nhiệm vụ nào." in response.content.decode()
    assert _state(plan) == before


@pytest.mark.parametrize("confirm", [{}, CONFIRM])
def test_sending_from_an_older_page_is_refused_with_409_gaps_or_not(demo_plan, confirm):
    plan = _waiting_leader(demo_plan)
    _with_each_gap(plan)
    seen = plan.lock_version
    request_approval(plan, _user("focal_point"))  # asked again meanwhile: the plan changed since the page
    before = _state(plan)
    response = _client("leader").post(f"/ke-hoach/{plan.pk}/gui/", {"lock_version": seen, **confirm})
    assert response.status_code == 409 and "Kế hoạch vừa thay đổi" in response.content.decode()
    assert _state(plan) == before


@pytest.mark.parametrize("role, status", [
    ("admin", 403), ("coordinator", 403), ("focal_point", 403), ("leader", 400), ("viewer", 403),
    ("anonymous", 302), ("other_commune", 404), ("department_focal_point", 404), ("other_province", 404),
])
def test_who_may_send_an_incomplete_plan(demo_plan, role, status):
    plan = _waiting_leader(demo_plan)
    _with_each_gap(plan)
    before = _state(plan)
    response = _send(role, plan)
    assert response.status_code == status
    if role == "anonymous":
        assert "/tai-khoan/dang-nhap/" in response["Location"]
    assert _state(plan) == before
    confirmed = _send(role, plan, **CONFIRM)
    assert confirmed.status_code == (302 if role == "leader" else status)
    assert (Plan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED) == (role == "leader")


# --- Bounded ---------------------------------------------------------------------------------------------


def _leader_page_queries(plan: Plan) -> int:
    client = client_for("leader")
    client.get(f"/ke-hoach/{plan.pk}/")  # session and caches warmed, as on any page after the first
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/ke-hoach/{plan.pk}/").content.decode()
    assert WARNING in page
    return len(queries)


def _add_incomplete_tasks(plan: Plan, count: int) -> None:
    for n in range(count):
        save_task(plan, TaskData(content=f"Nhiệm vụ bổ sung số {n}", nodes=[], lead_units=[], lead_groups=[],
                                 coordinating_units=[], coordinating_groups=[]))


def test_the_leaders_page_makes_as_many_queries_however_many_gaps(demo_plan, django_assert_max_num_queries):
    plan = _waiting_leader(demo_plan)
    _with_each_gap(plan)
    few = _leader_page_queries(plan)
    _add_incomplete_tasks(plan, 12)
    unit = Unit.objects.get(pk=plan.owner_unit_id)
    save_task(plan, TaskData(content="Nhiệm vụ có chủ trì", nodes=[], lead_units=[unit], lead_groups=[],
                             coordinating_units=[], coordinating_groups=[]))
    assert len(unit_plan_gaps(plan)) == 3 + 12 + 1
    assert _leader_page_queries(plan) == few
    # 19 measured (34 tasks or 74, the same): the leader's page as before plus the four queries of the gaps (the
    # tasks, their lead units, their lead groups, the province's tasks the plan does not carry).
    leader = client_for("leader")
    leader.get(f"/ke-hoach/{plan.pk}/")  # warmed, as in _leader_page_queries
    with django_assert_max_num_queries(19):
        leader.get(f"/ke-hoach/{plan.pk}/")
