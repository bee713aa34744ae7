"""Adding and editing tasks in the appendix: assignments per lead unit, bad input, concurrent edits, history."""

from __future__ import annotations

import pytest

from chiso.orgs.models import Unit, UnitGroup
from chiso.plans.models import Assignment, Task
from tests.conftest import client_for, task_edit_form


def _form(plan, **overrides):
    node = plan.frameworks.get(index="PAPI").nodes.get(code="2")
    skhcn = Unit.objects.get(province=plan.province, code="so-khoa-hoc-va-cong-nghe")
    minh_xuan = Unit.objects.get(province=plan.province, code="phuong-minh-xuan")
    data = {
        "nodes": [str(node.pk)], "number": "2.9", "content": "Công khai dự toán ngân sách xã trên cổng thông tin",
        "target": "100% xã, phường", "lead": [f"u:{skhcn.pk}", f"u:{minh_xuan.pk}"], "coordinating": [],
        "schedule_text": "Quý III và Quý IV", "due_date": "", "outputs": "Báo cáo", "notes": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_coordinator_adds_a_task_with_two_lead_units_and_each_gets_an_assignment(demo_plan):
    response = client_for("coordinator").post(f"/ke-hoach/{demo_plan.pk}/nhiem-vu/moi/", _form(demo_plan))
    assert response.status_code == 302
    task = Task.objects.get(plan=demo_plan, content__startswith="Công khai dự toán ngân sách xã")
    assert sorted(a.unit.code for a in task.assignments.select_related("unit")) == [
        "phuong-minh-xuan", "so-khoa-hoc-va-cong-nghe"]
    assert task.schedule_kind == "period" and task.due_date.isoformat() == "2025-12-31"
    assert task.assignments.first().due_date == task.due_date
    page = client_for("focal_point").get("/ke-hoach/nhiem-vu-cua-don-vi/").content.decode()
    assert "Công khai dự toán ngân sách xã" in page


@pytest.mark.django_db
def test_group_lead_is_expanded_to_its_members(demo_plan):
    group = UnitGroup.objects.get(province=demo_plan.province, name="UBND cấp xã")
    client_for("coordinator").post(f"/ke-hoach/{demo_plan.pk}/nhiem-vu/moi/", _form(demo_plan, lead=[f"g:{group.pk}"]))
    task = Task.objects.get(plan=demo_plan, content__startswith="Công khai dự toán ngân sách xã")
    assert task.assignments.count() == 124
    assert set(task.assignments.values_list("via_group", flat=True)) == {group.pk}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"lead": []}, "Chọn ít nhất một cơ quan chủ trì."),
        ({"nodes": []}, "Chọn ít nhất một nội dung chỉ số."),
        ({"nodes": ["999999"]}, "không có trong các lựa chọn"),
        ({"content": "  "}, "Trường này là bắt buộc."),
        ({"lead": ["u:999999"]}, "không có trong các lựa chọn"),
        ({"due_date": "31/02/2025"}, "Nhập một ngày hợp lệ."),
    ],
)
def test_bad_task_input_gets_a_vietnamese_message_and_saves_nothing(demo_plan, overrides, message):
    tasks, assignments = Task.objects.count(), Assignment.objects.count()
    response = client_for("coordinator").post(f"/ke-hoach/{demo_plan.pk}/nhiem-vu/moi/", _form(demo_plan, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (Task.objects.count(), Assignment.objects.count()) == (tasks, assignments)


@pytest.mark.django_db
def test_a_unit_cannot_be_both_lead_and_coordinating(demo_plan):
    skhcn = Unit.objects.get(province=demo_plan.province, code="so-khoa-hoc-va-cong-nghe")
    response = client_for("coordinator").post(
        f"/ke-hoach/{demo_plan.pk}/nhiem-vu/moi/", _form(demo_plan, coordinating=[f"u:{skhcn.pk}"]))
    assert response.status_code == 400
    assert "đã là cơ quan chủ trì" in response.content.decode()


@pytest.mark.django_db
def test_two_people_editing_the_same_task_do_not_overwrite_each_other(demo_plan):
    task = demo_plan.tasks.order_by("order").first()
    url = f"/ke-hoach/{demo_plan.pk}/nhiem-vu/{task.pk}/sua/"
    opened_version = task.lock_version
    first = client_for("coordinator").post(url, _form(demo_plan, content="Bản sửa thứ nhất", lock_version=opened_version))
    assert first.status_code == 302
    second = client_for("admin").post(url, _form(demo_plan, content="Bản sửa thứ hai", lock_version=opened_version))
    assert second.status_code == 409
    assert "vừa được người khác cập nhật" in second.content.decode()
    task.refresh_from_db()
    assert task.content == "Bản sửa thứ nhất"


@pytest.mark.django_db
def test_every_change_to_a_task_is_in_its_visible_history(demo_plan):
    task = demo_plan.tasks.order_by("order").first()
    old_content = task.content
    client = client_for("coordinator")
    client.post(f"/ke-hoach/{demo_plan.pk}/nhiem-vu/{task.pk}/sua/",
                _form(demo_plan, content="Nội dung đã chỉnh", lock_version=task.lock_version))
    page = client.get(f"/ke-hoach/{demo_plan.pk}/nhiem-vu/{task.pk}/").content.decode()
    assert "Nội dung đã chỉnh" in page and old_content[:40] in page
    assert "Nguyễn Thị Hà" in page or "dieuphoi" in page
    latest = task.history.latest()
    assert latest.history_user.username == "dieuphoi"


@pytest.mark.django_db
def test_a_deleted_task_stays_readable_in_the_plan_history(demo_plan):
    task = demo_plan.tasks.order_by("order").last()
    client = client_for("coordinator")
    assert client.post(f"/ke-hoach/{demo_plan.pk}/nhiem-vu/{task.pk}/xoa/").status_code == 302
    assert not Task.objects.filter(pk=task.pk).exists()
    assert not Assignment.objects.filter(task_id=task.pk).exists()
    page = client.get(f"/ke-hoach/{demo_plan.pk}/lich-su/").content.decode()
    assert "Nhiệm vụ đã xóa" in page and task.content[:30] in page


@pytest.mark.django_db
def test_htmx_gets_the_form_fragment_and_a_full_navigation_gets_the_page(demo_plan):
    client = client_for("coordinator")
    fragment = client.get(f"/ke-hoach/{demo_plan.pk}/nhiem-vu/moi/", HTTP_HX_REQUEST="true").content.decode()
    page = client.get(f"/ke-hoach/{demo_plan.pk}/nhiem-vu/moi/").content.decode()
    assert "<html" not in fragment and 'class="card stacked task-form"' in fragment
    assert "<html" in page and 'class="card stacked task-form"' in page


@pytest.mark.django_db
def test_appendix_filters_by_unit_node_and_schedule(demo_plan):
    client = client_for("viewer")
    skhcn = Unit.objects.get(province=demo_plan.province, code="so-khoa-hoc-va-cong-nghe")
    by_unit = client.get(f"/ke-hoach/{demo_plan.pk}/phu-luc/", {"unit": skhcn.pk}).content.decode()
    expected = Task.objects.filter(plan=demo_plan).filter(assignments__unit=skhcn).distinct().count()
    coordinating = Task.objects.filter(plan=demo_plan, coordinating_units=skhcn).exclude(assignments__unit=skhcn).count()
    assert by_unit.count('class="task-row"') == expected + coordinating
    ongoing = client.get(f"/ke-hoach/{demo_plan.pk}/phu-luc/", {"schedule": "ongoing"}).content.decode()
    assert ongoing.count('class="task-row"') == demo_plan.tasks.filter(schedule_kind="ongoing").count()
    papi_1 = demo_plan.frameworks.get(index="PAPI").nodes.get(code="1")
    by_node = client.get(f"/ke-hoach/{demo_plan.pk}/phu-luc/", {"node": papi_1.pk}).content.decode()
    assert by_node.count('class="task-row"') == demo_plan.tasks.filter(nodes=papi_1).count() > 0


@pytest.mark.django_db
def test_a_save_writes_one_history_record_and_names_changed_units(demo_plan):
    task = demo_plan.tasks.order_by("order").first()
    records_before = task.history.count()
    client = client_for("coordinator")
    client.post(f"/ke-hoach/{demo_plan.pk}/nhiem-vu/{task.pk}/sua/",
                _form(demo_plan, content=task.content, lock_version=task.lock_version))
    assert task.history.count() == records_before + 1
    page = client.get(f"/ke-hoach/{demo_plan.pk}/nhiem-vu/{task.pk}/").content.decode()
    assert "Sở Khoa học và Công nghệ; Phường Minh Xuân" in page or "Phường Minh Xuân; Sở Khoa học và Công nghệ" in page


@pytest.mark.django_db
def test_editing_other_fields_keeps_the_documents_wording_of_the_agencies(demo_plan):
    task = demo_plan.tasks.order_by("order").first()
    wording = (task.lead_text, task.coordinating_text)
    form = task_edit_form(task, target="Chỉ tiêu mới")
    response = client_for("coordinator").post(f"/ke-hoach/{demo_plan.pk}/nhiem-vu/{task.pk}/sua/", form)
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.target == "Chỉ tiêu mới" and (task.lead_text, task.coordinating_text) == wording


@pytest.mark.django_db
def test_a_monitoring_unit_is_kept_and_shown_as_its_own_column(demo_plan):
    snv = Unit.objects.get(province=demo_plan.province, code="so-noi-vu")
    task = demo_plan.tasks.order_by("order").first()
    client = client_for("coordinator")
    response = client.post(f"/ke-hoach/{demo_plan.pk}/nhiem-vu/{task.pk}/sua/", task_edit_form(task, monitoring=snv.pk))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.monitoring_unit == snv
    page = client.get(f"/ke-hoach/{demo_plan.pk}/phu-luc/").content.decode()
    assert "Đơn vị theo dõi" in page
