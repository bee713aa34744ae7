"""The cascade: a unit builds its own plan from the tasks it was given, its leader sends it, and the
coordinator sees who has sent theirs and who is late."""

from __future__ import annotations

import datetime as dt

import pytest

from chiso.accounts.models import User
from chiso.plans.models import Plan, PlanStatus
from chiso.plans.services import cascade_status
from tests.conftest import USERNAMES, client_for


@pytest.mark.django_db
def test_focal_point_derives_a_draft_prefilled_with_the_units_tasks_and_the_leader_sends_it(demo_plan):
    focal = User.objects.get(username=USERNAMES["focal_point"])
    assigned = demo_plan.tasks.filter(assignments__unit=focal.unit).count()
    assert assigned > 0
    response = client_for("focal_point").post(f"/ke-hoach/{demo_plan.pk}/xay-dung-ke-hoach-don-vi/")
    own = Plan.objects.get(parent=demo_plan, owner_unit=focal.unit)
    assert response.status_code == 302 and response["Location"] == f"/ke-hoach/{own.pk}/"
    assert own.status == PlanStatus.DRAFT and own.tasks.count() == assigned
    assert all(t.source_task.plan_id == demo_plan.pk for t in own.tasks.select_related("source_task"))
    assert {a.unit_id for t in own.tasks.all() for a in t.assignments.all()} == {focal.unit_id}

    # The focal point may not send it; the leader approves and sends.
    assert client_for("focal_point").post(f"/ke-hoach/{own.pk}/gui/").status_code == 403
    assert client_for("leader").post(f"/ke-hoach/{own.pk}/gui/").status_code == 302
    own.refresh_from_db()
    assert own.status == PlanStatus.SUBMITTED and own.submitted_by.username == USERNAMES["leader"]

    # Once sent, the unit can no longer edit it; the coordinator can return it.
    task = own.tasks.first()
    assert client_for("focal_point").get(f"/ke-hoach/{own.pk}/nhiem-vu/{task.pk}/sua/").status_code == 403
    assert client_for("coordinator").post(f"/ke-hoach/{own.pk}/tra-lai/",
                                          {"comment": "Bổ sung thời gian hoàn thành"}).status_code == 302
    own.refresh_from_db()
    assert own.status == PlanStatus.DRAFT


@pytest.mark.django_db
def test_deriving_twice_returns_the_same_plan(demo_plan):
    client = client_for("focal_point")
    client.post(f"/ke-hoach/{demo_plan.pk}/xay-dung-ke-hoach-don-vi/")
    client.post(f"/ke-hoach/{demo_plan.pk}/xay-dung-ke-hoach-don-vi/")
    assert Plan.objects.filter(parent=demo_plan).count() == 1


@pytest.mark.django_db
def test_coordinator_sees_who_has_sent_their_plan_and_who_is_late(demo_plan):
    client_for("focal_point").post(f"/ke-hoach/{demo_plan.pk}/xay-dung-ke-hoach-don-vi/")
    own = Plan.objects.get(parent=demo_plan)
    client_for("leader").post(f"/ke-hoach/{own.pk}/gui/")
    rows = {row.unit.code: row for row in cascade_status(demo_plan, today=dt.date(2025, 7, 21))}
    assert not rows["phuong-minh-xuan"].is_late
    assert rows["phuong-ha-giang-1"].is_late and rows["so-khoa-hoc-va-cong-nghe"].is_late
    before_deadline = cascade_status(demo_plan, today=dt.date(2025, 7, 19))
    assert not any(row.is_late for row in before_deadline)
    page = client_for("coordinator").get(f"/ke-hoach/{demo_plan.pk}/").content.decode()
    assert "1/" in page and "đơn vị đã gửi kế hoạch" in page and "Quá hạn" in page


@pytest.mark.django_db
def test_units_without_tasks_in_the_plan_cannot_derive_from_it(demo_plan):
    from chiso.orgs.models import Unit

    unit = Unit.objects.get(province=demo_plan.province, code="phuong-minh-xuan")
    focal = User.objects.get(username=USERNAMES["focal_point"])
    demo_plan.tasks.filter(assignments__unit=unit).delete()
    response = client_for("focal_point").post(f"/ke-hoach/{demo_plan.pk}/xay-dung-ke-hoach-don-vi/")
    assert response.status_code == 403
    assert not Plan.objects.filter(owner_unit=focal.unit).exists()


@pytest.mark.django_db
def test_the_coordinator_sees_a_unit_plan_sent_after_the_page_was_read(demo_plan, django_capture_on_commit_callbacks):
    """The cascade is computed once per version of the data (plans.views._plan_page): a unit plan sent
    afterwards shows the next time the page is read."""
    coordinator = client_for("coordinator")
    url = f"/ke-hoach/{demo_plan.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        client_for("focal_point").post(f"/ke-hoach/{demo_plan.pk}/xay-dung-ke-hoach-don-vi/")
    assert "1/" not in coordinator.get(url).content.decode().split("đơn vị đã gửi kế hoạch")[0][-40:]
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for("leader").post(f"/ke-hoach/{Plan.objects.get(parent=demo_plan).pk}/gui/").status_code == 302
    assert "1/" in coordinator.get(url).content.decode().split("đơn vị đã gửi kế hoạch")[0][-40:]
