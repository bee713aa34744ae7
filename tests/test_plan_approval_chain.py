"""The approval chain on a unit's own plan, as on a report: the focal point drafts it, the leader approves and
sends it, Sở Nội vụ receives it or returns it, with who did what and when, read from the plan and its
history; every role sees it where it may see the plan, nobody else."""

from __future__ import annotations

import re

import pytest
from django.utils.timezone import localtime

from chiso.accounts.models import User
from chiso.monitoring.models import Notification, NotificationKind
from chiso.plans.approval import unit_plan_chain
from chiso.plans.models import Plan, PlanStatus
from tests.accounts_helpers import logged_in, make_other_province_coordinator
from tests.conftest import USERNAMES, client_for

pytestmark = pytest.mark.django_db
RETURN_REASON = "Bổ sung tiến độ cho nhiệm vụ 3"


def _derived(demo_plan: Plan) -> Plan:
    assert client_for("focal_point").post(f"/ke-hoach/{demo_plan.pk}/xay-dung-ke-hoach-don-vi/").status_code == 302
    return Plan.objects.get(parent=demo_plan, owner_unit__code="phuong-minh-xuan")


def _steps(page: str) -> list[str]:
    """The chain's steps as plain text, tags and spacing removed."""
    chain = page.split('<ol class="chain" aria-label="Các bước duyệt kế hoạch">', 1)[1].split("</ol>", 1)[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", step).split()) for step in chain.split('<li class="chain-step')[1:]]


def _person(role: str) -> str:
    return User.objects.get(username=USERNAMES[role]).get_full_name()


def test_the_chain_follows_the_plan_from_draft_to_sending_and_back(demo_plan, django_assert_max_num_queries):
    own = _derived(demo_plan)
    steps = _steps(client_for("leader").get(f"/ke-hoach/{own.pk}/").content.decode())
    assert len(steps) == 4
    assert steps[0].startswith('done current"> Cán bộ đầu mối xây dựng dự thảo') and _person("focal_point") in steps[0]
    assert localtime(own.created_at).strftime("%d/%m/%Y") in steps[0]
    assert not any(step.startswith(("done", "current")) for step in steps[1:])

    assert client_for("focal_point").post(f"/ke-hoach/{own.pk}/trinh-duyet/").status_code == 302
    own.refresh_from_db()
    steps = _steps(client_for("leader").get(f"/ke-hoach/{own.pk}/").content.decode())
    assert steps[0].startswith('done"') and steps[1].startswith('done current"')
    assert _person("focal_point") in steps[1] and "Chờ lãnh đạo đơn vị duyệt" in steps[1]
    assert localtime(own.approval_requested_at).strftime("%H:%M %d/%m/%Y") in steps[1]

    assert client_for("leader").post(f"/ke-hoach/{own.pk}/gui/").status_code == 302
    own.refresh_from_db()
    steps = _steps(client_for("focal_point").get(f"/ke-hoach/{own.pk}/").content.decode())
    assert all(step.startswith('done"') for step in steps[:3]) and _person("leader") in steps[2]
    assert localtime(own.submitted_at).strftime("%H:%M %d/%m/%Y") in steps[2]
    assert steps[3].startswith('current"') and "Chờ Sở Nội vụ xem xét" in steps[3]

    assert client_for("coordinator").post(f"/ke-hoach/{own.pk}/tra-lai/", {"comment": RETURN_REASON}).status_code == 302
    steps = _steps(client_for("focal_point").get(f"/ke-hoach/{own.pk}/").content.decode())
    assert steps[0].startswith('done current"') and "Sở Nội vụ đã trả lại, đơn vị chỉnh sửa và gửi lại" in steps[0]
    assert not steps[1].startswith("done") and not steps[2].startswith("done") and _person("leader") not in steps[2]
    assert _person("coordinator") in steps[3] and f"Sở Nội vụ trả lại: {RETURN_REASON}" in steps[3]

    # Sent again: the earlier return is history, Sở Nội vụ's step waits once more.
    assert client_for("leader").post(f"/ke-hoach/{own.pk}/gui/").status_code == 302
    chain = unit_plan_chain(Plan.objects.get(pk=own.pk))
    assert chain[3].current and chain[3].who is None and chain[2].who.username == USERNAMES["leader"]
    # Two queries for the chain, however long the plan's history.
    for _edit in range(5):
        client_for("coordinator").post(f"/ke-hoach/{own.pk}/tra-lai/", {"comment": RETURN_REASON})
        client_for("leader").post(f"/ke-hoach/{own.pk}/gui/")
    with django_assert_max_num_queries(2):
        unit_plan_chain(Plan.objects.select_related("submitted_by", "approval_requested_by").get(pk=own.pk))


def test_asking_the_leader_notifies_them_and_puts_the_plan_first_on_their_list(demo_plan):
    own = _derived(demo_plan)
    focal = client_for("focal_point")
    assert "Trình lãnh đạo duyệt" in focal.get(f"/ke-hoach/{own.pk}/").content.decode()
    assert focal.get(f"/ke-hoach/{own.pk}/trinh-duyet/").status_code == 405
    assert focal.post(f"/ke-hoach/{own.pk}/trinh-duyet/").status_code == 302
    note = Notification.objects.get(recipient__username=USERNAMES["leader"],
                                    kind=NotificationKind.PLAN_APPROVAL_REQUESTED)
    assert note.link == f"/ke-hoach/{own.pk}/" and _person("focal_point") in note.body
    assert not Notification.objects.filter(kind=NotificationKind.PLAN_APPROVAL_REQUESTED).exclude(pk=note.pk).exists()
    home = client_for("leader").get("/").content.decode()
    assert f'href="/ke-hoach/{own.pk}/"' in home and "cán bộ đầu mối trình duyệt ngày" in home
    page = focal.get(f"/ke-hoach/{own.pk}/").content.decode()
    assert "Chờ lãnh đạo đơn vị duyệt" in page and "Nhắc lãnh đạo duyệt" in page
    # Sent, the plan can no longer be put to the leader; returned by Sở Nội vụ, it must be put again.
    client_for("leader").post(f"/ke-hoach/{own.pk}/gui/")
    assert focal.post(f"/ke-hoach/{own.pk}/trinh-duyet/").status_code == 403
    client_for("coordinator").post(f"/ke-hoach/{own.pk}/tra-lai/", {"comment": RETURN_REASON})
    own.refresh_from_db()
    assert own.status == PlanStatus.DRAFT and own.approval_requested_at is None and own.approval_requested_by is None


def test_a_plan_without_tasks_cannot_be_put_to_the_leader(demo_plan):
    own = _derived(demo_plan)
    own.tasks.all().delete()
    client = client_for("focal_point")
    response = client.post(f"/ke-hoach/{own.pk}/trinh-duyet/", follow=True)
    assert "Kế hoạch chưa có nhiệm vụ nào." in response.content.decode()
    own.refresh_from_db()
    assert own.approval_requested_at is None
    assert not Notification.objects.filter(kind=NotificationKind.PLAN_APPROVAL_REQUESTED).exists()


@pytest.mark.parametrize("role, status", [
    ("admin", 403), ("coordinator", 403), ("focal_point", 302), ("leader", 403), ("viewer", 403),
    ("anonymous", 302), ("other_commune", 404), ("department_focal_point", 404), ("other_province", 404),
])
def test_who_may_put_the_unit_plan_to_the_leader(demo_plan, role, status):
    own = _derived(demo_plan)
    client = logged_in(make_other_province_coordinator()) if role == "other_province" else client_for(role)
    response = client.post(f"/ke-hoach/{own.pk}/trinh-duyet/")
    assert response.status_code == status
    own.refresh_from_db()
    assert (own.approval_requested_at is not None) == (role == "focal_point")
    if role == "anonymous":
        assert "/tai-khoan/dang-nhap/" in response["Location"]


def test_a_province_plan_shows_no_unit_chain(demo_plan):
    page = client_for("coordinator").get(f"/ke-hoach/{demo_plan.pk}/").content.decode()
    assert 'class="chain"' not in page


@pytest.mark.parametrize("role, status", [
    ("admin", 200), ("coordinator", 200), ("focal_point", 200), ("leader", 200), ("viewer", 200),
    ("anonymous", 302), ("other_commune", 404), ("department_focal_point", 404), ("other_province", 404),
])
def test_who_sees_the_unit_plan_and_its_chain(demo_plan, role, status):
    own = _derived(demo_plan)
    client = logged_in(make_other_province_coordinator()) if role == "other_province" else client_for(role)
    response = client.get(f"/ke-hoach/{own.pk}/")
    assert response.status_code == status
    if status == 200:
        assert len(_steps(response.content.decode())) == 4
