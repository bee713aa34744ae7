"""Handing a unit plan back, with a comment, and Sở Nội vụ accepting it: the unit's leader returns a draft
waiting for approval to the focal point, Sở Nội vụ returns a sent plan with its reason or accepts it (the plan
is issued from then on, with its number and date); the focal point is told, sees the comment on the plan and in
"Việc cần làm", and the chain shows who did each step and when."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import localtime

from chiso.accounts.models import User
from chiso.core.bounds import TEXT_MAX
from chiso.core.workflow import InvalidTransition
from chiso.monitoring.models import Notification, NotificationKind
from chiso.plans.approval import request_approval, return_to_focal_point
from chiso.plans.models import Plan, PlanStatus
from chiso.plans.services import submit_unit_plan
from tests.accounts_helpers import logged_in, make_other_province_coordinator
from tests.conftest import USERNAMES, client_for
from tests.monitoring_helpers import todo_item

pytestmark = pytest.mark.django_db

LEADER_COMMENT = "Bổ sung sản phẩm cho nhiệm vụ niêm yết thủ tục hành chính"
RETURN_REASON = "Thiếu thời gian hoàn thành của nhiệm vụ 2"
ROLES = ["admin", "coordinator", "focal_point", "leader", "viewer", "anonymous", "other_commune",
         "department_focal_point", "other_province"]


def _user(role: str) -> User:
    return User.objects.get(username=USERNAMES[role])


def _client(role: str) -> Client:
    return logged_in(make_other_province_coordinator()) if role == "other_province" else client_for(role)


def _unit_plan(demo_plan: Plan) -> Plan:
    """Derived by the focal point through the page, so the history knows who drafted it."""
    assert client_for("focal_point").post(f"/ke-hoach/{demo_plan.pk}/xay-dung-ke-hoach-don-vi/").status_code == 302
    return Plan.objects.get(parent=demo_plan, owner_unit=_user("focal_point").unit)


def _waiting_leader(demo_plan: Plan) -> Plan:
    plan = _unit_plan(demo_plan)
    request_approval(plan, _user("focal_point"))
    return plan


def _sent(demo_plan: Plan) -> Plan:
    plan = _waiting_leader(demo_plan)
    submit_unit_plan(plan, _user("leader"))
    return plan


def _steps(page: str) -> list[str]:
    """The chain's steps as plain text, tags and spacing removed."""
    chain = page.split('<ol class="chain" aria-label="Các bước duyệt kế hoạch">', 1)[1].split("</ol>", 1)[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", step).split()) for step in chain.split('<li class="chain-step')[1:]]


def _page(role: str, plan: Plan) -> str:
    return client_for(role).get(f"/ke-hoach/{plan.pk}/").content.decode()


def _todo(home: str) -> str:
    return home.split('class="card todo"', 1)[1].split("</section>", 1)[0]


def _state(plan: Plan) -> tuple[Any, ...]:
    fresh = Plan.objects.get(pk=plan.pk)
    return (fresh.status, fresh.lock_version, fresh.approval_requested_at, fresh.leader_comment,
            fresh.return_comment, fresh.number, fresh.history.count())


# --- Who may do it ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role, status", [
    ("admin", 403), ("coordinator", 403), ("focal_point", 403), ("leader", 302), ("viewer", 403),
    ("anonymous", 302), ("other_commune", 404), ("department_focal_point", 404), ("other_province", 404),
])
def test_only_the_units_leader_hands_the_draft_back_to_the_focal_point(demo_plan, role, status):
    plan = _waiting_leader(demo_plan)
    response = _client(role).post(f"/ke-hoach/{plan.pk}/tra-lai-can-bo-dau-moi/", {"comment": LEADER_COMMENT})
    assert response.status_code == status
    plan.refresh_from_db()
    assert (plan.leader_comment == LEADER_COMMENT) == (role == "leader")
    assert (plan.approval_requested_at is None) == (role == "leader")
    if role == "anonymous":
        assert "/tai-khoan/dang-nhap/" in response["Location"]


@pytest.mark.parametrize("role, status", [
    ("admin", 302), ("coordinator", 302), ("focal_point", 403), ("leader", 403), ("viewer", 403),
    ("anonymous", 302), ("other_commune", 404), ("department_focal_point", 404), ("other_province", 404),
])
def test_only_so_noi_vu_returns_a_sent_unit_plan(demo_plan, role, status):
    plan = _sent(demo_plan)
    response = _client(role).post(f"/ke-hoach/{plan.pk}/tra-lai/", {"comment": RETURN_REASON})
    assert response.status_code == status
    plan.refresh_from_db()
    assert (plan.status == PlanStatus.DRAFT) == (role in ("admin", "coordinator"))
    assert (plan.return_comment == RETURN_REASON) == (role in ("admin", "coordinator"))


@pytest.mark.parametrize("role, status", [
    ("admin", 302), ("coordinator", 302), ("focal_point", 403), ("leader", 403), ("viewer", 403),
    ("anonymous", 302), ("other_commune", 404), ("department_focal_point", 404), ("other_province", 404),
])
def test_only_so_noi_vu_accepts_a_sent_unit_plan(demo_plan, role, status):
    plan = _sent(demo_plan)
    response = _client(role).post(f"/ke-hoach/{plan.pk}/tiep-nhan/", {"number": "27", "issued_on": "05/10/2025"})
    assert response.status_code == status
    plan.refresh_from_db()
    assert (plan.status == PlanStatus.ISSUED) == (role in ("admin", "coordinator"))


def test_the_forms_appear_only_for_who_may_use_them(demo_plan):
    plan = _waiting_leader(demo_plan)
    assert "Trả lại cán bộ đầu mối" in _page("leader", plan)
    assert "Trả lại cán bộ đầu mối" not in _page("focal_point", plan)
    submit_unit_plan(plan, _user("leader"))
    coordinator_page = _page("coordinator", plan)
    assert "Tiếp nhận kế hoạch" in coordinator_page and 'name="comment" id="return-comment"' in coordinator_page
    assert "Tiếp nhận kế hoạch" not in _page("leader", plan) and "Tiếp nhận kế hoạch" not in _page("viewer", plan)


# --- The whole hand-off ----------------------------------------------------------------------------------


def _leader_returns(plan: Plan) -> None:
    response = client_for("leader").post(f"/ke-hoach/{plan.pk}/tra-lai-can-bo-dau-moi/",
                                         {"comment": f"  {LEADER_COMMENT}  ", "lock_version": plan.lock_version},
                                         follow=True)
    assert "Đã trả lại dự thảo kế hoạch cho cán bộ đầu mối." in response.content.decode()
    plan.refresh_from_db()


def _focal_point_sees(plan: Plan, label: str, comment: str, kind: str) -> None:
    """The comment reached the focal point three ways: a notification, the plan's page, "Việc cần làm"."""
    note = Notification.objects.get(recipient=_user("focal_point"), kind=kind)
    assert note.body == comment and note.link == f"/ke-hoach/{plan.pk}/"
    assert comment in _page("focal_point", plan)
    todo = _todo(client_for("focal_point").get("/").content.decode())
    assert label in todo and comment in todo and f'href="/ke-hoach/{plan.pk}/"' in todo
    item = todo_item(client_for("focal_point").get("/").content.decode(), label)
    assert "Bị trả lại" in item and "Quá hạn" not in item  # handed back, not late


def test_a_plan_goes_back_and_forth_and_the_chain_names_everyone(demo_plan):
    plan = _waiting_leader(demo_plan)
    _leader_returns(plan)
    assert plan.approval_requested_at is None and plan.leader_comment == LEADER_COMMENT
    _focal_point_sees(plan, "Kế hoạch của đơn vị bị lãnh đạo đơn vị trả lại, cần sửa", LEADER_COMMENT,
                      NotificationKind.PLAN_LEADER_RETURNED)
    # The leader's list no longer offers to send a draft that is back with the focal point.
    assert f'href="/ke-hoach/{plan.pk}/"' not in _todo(client_for("leader").get("/").content.decode())
    steps = _steps(_page("focal_point", plan))
    assert f"Lãnh đạo đơn vị trả lại: {LEADER_COMMENT}" in steps[2] and _user("leader").get_full_name() in steps[2]
    assert localtime(plan.leader_returned_at).strftime("%H:%M %d/%m/%Y") in steps[2]

    # Asked again, the to-do goes; sent, Sở Nội vụ returns it with its reason.
    assert client_for("focal_point").post(f"/ke-hoach/{plan.pk}/trinh-duyet/").status_code == 302
    assert "bị lãnh đạo đơn vị trả lại" not in client_for("focal_point").get("/").content.decode()
    assert client_for("leader").post(f"/ke-hoach/{plan.pk}/gui/").status_code == 302
    assert client_for("coordinator").post(f"/ke-hoach/{plan.pk}/tra-lai/", {"comment": RETURN_REASON}).status_code == 302
    _focal_point_sees(plan, "Kế hoạch của đơn vị bị Sở Nội vụ trả lại, cần sửa", RETURN_REASON,
                      NotificationKind.PLAN_RETURNED)
    steps = _steps(_page("focal_point", plan))
    assert f"Sở Nội vụ trả lại: {RETURN_REASON}" in steps[3] and _user("coordinator").get_full_name() in steps[3]

    # Corrected, asked, sent, accepted with its number and date.
    client_for("focal_point").post(f"/ke-hoach/{plan.pk}/trinh-duyet/")
    client_for("leader").post(f"/ke-hoach/{plan.pk}/gui/")
    response = client_for("coordinator").post(f"/ke-hoach/{plan.pk}/tiep-nhan/",
                                              {"number": "27", "issued_on": "05/10/2025"}, follow=True)
    assert "Đã tiếp nhận kế hoạch của đơn vị." in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED and plan.number == "27" and plan.issued_on.strftime("%d/%m/%Y") == "05/10/2025"
    assert plan.leader_comment == "" and plan.return_comment == ""
    steps = _steps(_page("focal_point", plan))
    assert all(step.startswith('done"') for step in steps)
    for step, role in zip(steps, ["focal_point", "focal_point", "leader", "coordinator"], strict=True):
        assert _user(role).get_full_name() in step
    assert "Sở Nội vụ đã tiếp nhận" in steps[3] and localtime().strftime("%d/%m/%Y") in steps[3]
    assert "bị Sở Nội vụ trả lại" not in client_for("focal_point").get("/").content.decode()


# --- Bad input, wrong state, two people at once ----------------------------------------------------------


@pytest.mark.parametrize("comment, message", [
    ("", "Ghi rõ ý kiến để cán bộ đầu mối biết cần sửa gì."),
    ("   \n ", "Ghi rõ ý kiến để cán bộ đầu mối biết cần sửa gì."),
    ("x" * (TEXT_MAX + 1), "Ý kiến dài quá"),
    ("Sửa\x00 lại mục 2", "ký tự NUL"),  # PostgreSQL refuses it in any text column: a server error before
])
def test_a_leader_return_without_a_usable_comment_changes_nothing(demo_plan, comment, message):
    plan = _waiting_leader(demo_plan)
    before = _state(plan)
    response = client_for("leader").post(f"/ke-hoach/{plan.pk}/tra-lai-can-bo-dau-moi/", {"comment": comment},
                                         follow=True)
    assert response.status_code == 200 and message in response.content.decode()
    assert _state(plan) == before
    assert not Notification.objects.filter(kind=NotificationKind.PLAN_LEADER_RETURNED).exists()


def test_so_noi_vu_must_give_a_reason_to_return(demo_plan):
    plan = _sent(demo_plan)
    before = _state(plan)
    response = client_for("coordinator").post(f"/ke-hoach/{plan.pk}/tra-lai/", {"comment": " "}, follow=True)
    assert "Ghi rõ lý do trả lại để đơn vị biết cần sửa gì." in response.content.decode()
    assert _state(plan) == before


def test_accepting_without_the_number_asks_for_it_and_changes_nothing(demo_plan):
    plan = _sent(demo_plan)
    before = _state(plan)
    response = client_for("coordinator").post(f"/ke-hoach/{plan.pk}/tiep-nhan/", {"issued_on": "99/99/2025"})
    assert response.status_code == 400
    assert "Chưa tiếp nhận được kế hoạch" in response.content.decode()
    assert _state(plan) == before


def test_a_draft_not_put_to_the_leader_cannot_be_handed_back(demo_plan):
    plan = _unit_plan(demo_plan)
    assert client_for("leader").post(f"/ke-hoach/{plan.pk}/tra-lai-can-bo-dau-moi/",
                                     {"comment": LEADER_COMMENT}).status_code == 403
    with pytest.raises(InvalidTransition, match="đang chờ lãnh đạo đơn vị duyệt"):
        return_to_focal_point(plan, _user("leader"), LEADER_COMMENT)
    assert Plan.objects.get(pk=plan.pk).leader_comment == ""


def test_a_return_based_on_an_older_page_is_refused_with_409(demo_plan):
    plan = _waiting_leader(demo_plan)
    seen = plan.lock_version
    # Meanwhile the leader sends it from another tab; the return typed on the older page must not undo that.
    submit_unit_plan(plan, _user("leader"))
    before = _state(plan)
    response = client_for("leader").post(f"/ke-hoach/{plan.pk}/tra-lai-can-bo-dau-moi/",
                                         {"comment": LEADER_COMMENT, "lock_version": seen})
    assert response.status_code == 409 and "Kế hoạch vừa thay đổi" in response.content.decode()
    assert _state(plan) == before


def test_two_coordinators_deciding_at_once_only_the_first_counts(demo_plan):
    plan = _sent(demo_plan)
    seen = plan.lock_version
    first = client_for("coordinator").post(f"/ke-hoach/{plan.pk}/tiep-nhan/",
                                           {"number": "27", "issued_on": "05/10/2025", "lock_version": seen})
    assert first.status_code == 302
    second = client_for("admin").post(f"/ke-hoach/{plan.pk}/tra-lai/", {"comment": RETURN_REASON, "lock_version": seen})
    assert second.status_code == 409
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED and plan.return_comment == ""


# --- Bounded ---------------------------------------------------------------------------------------------


def _page_queries(role: str, plan: Plan) -> int:
    client = client_for(role)
    client.get(f"/ke-hoach/{plan.pk}/")  # session and caches warmed, as on any page after the first
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/ke-hoach/{plan.pk}/").status_code == 200
    return len(queries)


def test_the_plan_page_makes_as_many_queries_however_long_the_history(demo_plan, django_assert_max_num_queries):
    plan = _sent(demo_plan)
    client_for("coordinator").post(f"/ke-hoach/{plan.pk}/tra-lai/", {"comment": RETURN_REASON})
    short = {role: _page_queries(role, plan) for role in ("focal_point", "coordinator")}
    records = plan.history.count()
    for round_number in range(6):
        request_approval(plan, _user("focal_point"))
        if round_number % 2:
            return_to_focal_point(plan, _user("leader"), LEADER_COMMENT)
            continue
        submit_unit_plan(plan, _user("leader"))
        client_for("coordinator").post(f"/ke-hoach/{plan.pk}/tra-lai/", {"comment": RETURN_REASON})
    assert plan.history.count() >= records + 15
    assert {role: _page_queries(role, plan) for role in short} == short
    # 34 measured: the session, the user, the header's bell and menus, the plan, its counts and lists, the
    # chain (two), and the to-do sources of the base page; none of them grows with the history.
    with django_assert_max_num_queries(34):
        client_for("focal_point").get(f"/ke-hoach/{plan.pk}/")
