"""Behaviour found in review: unit plans cannot leave the approval path, stale edits are 409 everywhere,
derived dates follow the schedule, history names what changed and stays cheap."""

from __future__ import annotations

import pytest

from chiso.accounts.models import User
from chiso.frameworks.models import Framework
from chiso.orgs.models import Unit, UnitGroup
from chiso.plans.models import Plan, PlanStatus, Task
from chiso.plans.services import derive_unit_plan, return_unit_plan, submit_unit_plan
from tests.conftest import USERNAMES, client_for, task_edit_form


@pytest.fixture
def unit_plan(demo_plan) -> Plan:
    focal = User.objects.get(username=USERNAMES["focal_point"])
    return derive_unit_plan(demo_plan, focal.unit)


def _plan_form(plan: Plan, **overrides):
    data = {"issuer": plan.issuer, "symbol": plan.symbol, "title": plan.title, "place": plan.place,
            "lock_version": plan.lock_version, "recipients_text": ""}
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_focal_point_cannot_detach_its_plan_or_make_it_replace_the_province_plan(unit_plan, demo_plan):
    response = client_for("focal_point").post(
        f"/ke-hoach/{unit_plan.pk}/sua/", _plan_form(unit_plan, parent="", replaces=[demo_plan.pk], title="Mới"))
    assert response.status_code == 302
    unit_plan.refresh_from_db()
    assert unit_plan.title == "Mới" and unit_plan.parent_id == demo_plan.pk
    assert not unit_plan.replaces.exists()


@pytest.mark.django_db
def test_a_stale_plan_edit_is_a_conflict(unit_plan):
    client = client_for("focal_point")
    opened = unit_plan.lock_version
    assert client.post(f"/ke-hoach/{unit_plan.pk}/sua/", _plan_form(unit_plan, lock_version=opened)).status_code == 302
    response = client.post(f"/ke-hoach/{unit_plan.pk}/sua/", _plan_form(unit_plan, title="Cũ", lock_version=opened))
    assert response.status_code == 409 and "vừa được người khác cập nhật" in response.content.decode()


@pytest.mark.django_db
def test_a_stale_framework_edit_is_a_conflict_and_a_duplicate_name_is_an_error():
    client = client_for("coordinator")
    data = {"index": "DTI", "name_vi": "DTI 2024", "name_en": "", "version": "2024", "valid_from": 2024,
            "valid_to": "", "unit": "points", "total_max": "", "notes": ""}
    assert client.post("/bo-chi-so/moi/", data).status_code == 302
    duplicate = client.post("/bo-chi-so/moi/", data)
    assert duplicate.status_code == 400 and "cùng tên và phiên bản" in duplicate.content.decode()
    framework = Framework.objects.get(name_vi="DTI 2024")
    opened = framework.lock_version
    assert client.post(f"/bo-chi-so/{framework.pk}/sua/", {**data, "lock_version": opened}).status_code == 302
    assert client.post(f"/bo-chi-so/{framework.pk}/sua/", {**data, "lock_version": opened}).status_code == 409


@pytest.mark.django_db
def test_an_invalid_new_plan_is_answered_400():
    assert client_for("coordinator").post("/ke-hoach/moi/", {"title": ""}).status_code == 400


@pytest.mark.django_db
def test_every_demo_task_can_be_saved_unchanged_in_the_editor(demo_plan):
    """Tasks naming a group with no defined members ("Các cơ quan, đơn vị liên quan") stay editable."""
    task = Task.objects.filter(plan=demo_plan, coordinating_groups__kinds=[]).first()
    assert task is not None
    response = client_for("coordinator").post(f"/ke-hoach/{demo_plan.pk}/nhiem-vu/{task.pk}/sua/",
                                              task_edit_form(task))
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_derived_due_date_follows_a_changed_schedule(demo_plan):
    task = demo_plan.tasks.filter(schedule_text="Quý III và Quý IV").first() or demo_plan.tasks.first()
    form = task_edit_form(task, schedule_text="Quý I năm 2025")
    client_for("coordinator").post(f"/ke-hoach/{demo_plan.pk}/nhiem-vu/{task.pk}/sua/", form)
    task.refresh_from_db()
    assert (task.start_date.isoformat(), task.due_date.isoformat()) == ("2025-01-01", "2025-03-31")
    form = task_edit_form(task, due_date="20/02/2025")
    client_for("coordinator").post(f"/ke-hoach/{demo_plan.pk}/nhiem-vu/{task.pk}/sua/", form)
    task.refresh_from_db()
    assert task.due_date.isoformat() == "2025-02-20" == task.fixed_due_date.isoformat()


@pytest.mark.django_db
def test_an_assignment_tells_whether_it_came_through_a_group_after_an_edit(demo_plan):
    group = UnitGroup.objects.get(province=demo_plan.province, name="UBND cấp xã")
    task = Task.objects.filter(plan=demo_plan, lead_groups=group).first()
    minh_xuan = Unit.objects.get(province=demo_plan.province, code="phuong-minh-xuan")
    form = task_edit_form(task, lead=[f"u:{minh_xuan.pk}"])
    assert client_for("coordinator").post(f"/ke-hoach/{demo_plan.pk}/nhiem-vu/{task.pk}/sua/", form).status_code == 302
    assignment = task.assignments.get()
    assert assignment.unit == minh_xuan and assignment.via_group is None


@pytest.mark.django_db
def test_a_returned_plan_no_longer_shows_as_sent(unit_plan):
    leader = User.objects.get(username=USERNAMES["leader"])
    submit_unit_plan(unit_plan, leader)
    return_unit_plan(unit_plan, User.objects.get(username=USERNAMES["coordinator"]), "Thiếu tiến độ")
    unit_plan.refresh_from_db()
    assert unit_plan.status == PlanStatus.DRAFT and unit_plan.submitted_at is None and unit_plan.submitted_by is None


@pytest.mark.django_db
def test_deriving_again_never_makes_a_second_unit_plan(unit_plan, demo_plan):
    again = derive_unit_plan(demo_plan, unit_plan.owner_unit)
    assert again.pk == unit_plan.pk
    assert Plan.objects.filter(parent=demo_plan, owner_unit=unit_plan.owner_unit).count() == 1


@pytest.mark.django_db
def test_history_names_related_objects_and_costs_a_bounded_number_of_queries(demo_plan, django_assert_max_num_queries):
    task = demo_plan.tasks.order_by("order").first()
    client = client_for("coordinator")
    units = list(Unit.objects.filter(province=demo_plan.province, kind="department")[:6])
    for unit in units:
        form = task_edit_form(task, lead=[f"u:{unit.pk}"])
        client.post(f"/ke-hoach/{demo_plan.pk}/nhiem-vu/{task.pk}/sua/", form)
        task.refresh_from_db()
    # Records, 5 m2m history tables, unit names, group names, node names, plus the page itself.
    with django_assert_max_num_queries(25):
        page = client.get(f"/ke-hoach/{demo_plan.pk}/nhiem-vu/{task.pk}/").content.decode()
    assert units[-1].name in page and "#" + str(units[-1].pk) not in page


@pytest.mark.django_db
def test_node_history_shows_the_parent_by_name():
    client = client_for("coordinator")
    source = Framework.objects.get(slug="papi-2021")
    client.post(f"/bo-chi-so/{source.pk}/sao-chep/", {"name_vi": "PAPI sửa", "version": "x", "valid_from": 2025})
    copy = Framework.objects.get(name_vi="PAPI sửa")
    node = copy.nodes.get(code="1.1")
    edited = client.post(f"/bo-chi-so/{copy.pk}/noi-dung/{node.pk}/sua/", {
        "code": "1.1", "name_vi": node.name_vi, "name_en": "", "max_points": "2,5", "unit": "points",
        "scoring": "survey", "source": "", "confidence": "", "note": "", "parent_code": "2", "aliases_text": "",
        "lock_version": node.lock_version})
    assert edited.status_code == 302, edited.content.decode()[:2000]
    page = client.get(f"/bo-chi-so/{copy.pk}/noi-dung/{node.pk}/lich-su/").content.decode()
    assert "Tham gia của người dân ở cấp cơ sở" in page and "Công khai" in page
