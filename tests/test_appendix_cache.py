"""The appendix table is served from a cache keyed on what changes it: a second reader gets it without the
tasks' queries, and an edit of a task, a filter or the reader's right to edit shows at once."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from chiso.plans.models import Task
from tests.conftest import client_for


@pytest.fixture(autouse=True)
def _empty_cache():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_second_request_reuses_the_rendered_table_with_fewer_queries(demo_plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("coordinator")
    url = f"/ke-hoach/{demo_plan.pk}/phu-luc/"
    htmx = {"HX-Request": "true"}
    with CaptureQueriesContext(connection) as first:
        cold = client.get(url, headers=htmx)
    with CaptureQueriesContext(connection) as second:
        warm = client.get(url, headers=htmx)
    assert cold.status_code == warm.status_code == 200
    assert cold.content == warm.content and b"task-row" in warm.content
    assert len(second) < len(first) - 5


@pytest.mark.django_db
def test_an_edited_task_shows_at_once(demo_plan):
    client = client_for("coordinator")
    url = f"/ke-hoach/{demo_plan.pk}/phu-luc/"
    task = demo_plan.tasks.order_by("order").first()
    assert task.content[:30] in client.get(url).content.decode()
    task.content = "Nhiệm vụ vừa được sửa nội dung"
    task.save()
    assert "Nhiệm vụ vừa được sửa nội dung" in client.get(url).content.decode()
    Task.objects.filter(pk=task.pk).delete()
    assert "Nhiệm vụ vừa được sửa nội dung" not in client.get(url).content.decode()


@pytest.mark.django_db
def test_filters_and_the_right_to_edit_have_their_own_entries(demo_plan):
    url = f"/ke-hoach/{demo_plan.pk}/phu-luc/"
    coordinator, viewer = client_for("coordinator"), client_for("viewer")
    editable = coordinator.get(url).content.decode()
    read_only = viewer.get(url).content.decode()
    add_link = f"/ke-hoach/{demo_plan.pk}/nhiem-vu/moi/?node="
    assert add_link in editable and add_link not in read_only
    task = demo_plan.tasks.order_by("order").last()
    searched = coordinator.get(url, {"q": task.content[:25]}, headers={"HX-Request": "true"}).content.decode()
    assert "(đang lọc)" in searched and "(đang lọc)" not in editable


@pytest.mark.django_db
def test_the_filter_lists_a_unit_renamed_or_newly_assigned_at_once(demo_plan, django_capture_on_commit_callbacks):
    """The filter's choices and selects are kept per version of the data (plans.views.plan_appendix): a unit
    renamed or given a task of the plan after the page was read is in the list the next time."""
    from chiso.orgs.models import Unit
    from chiso.plans.models import Assignment

    client = client_for("coordinator")
    url = f"/ke-hoach/{demo_plan.pk}/phu-luc/"

    def unit_select() -> str:
        page = client.get(url).content.decode()
        start = page.index('name="unit"')
        return page[start:page.index("</select>", start)]

    first = unit_select()
    assert unit_select() == first
    outside = Unit.objects.filter(province=demo_plan.province).exclude(
        pk__in=Assignment.objects.filter(task__plan=demo_plan).values("unit_id")).exclude(
        coordinated_tasks__plan=demo_plan).order_by("pk").first()
    assert f'value="{outside.pk}"' not in first
    with django_capture_on_commit_callbacks(execute=True):
        Assignment.objects.create(task=demo_plan.tasks.order_by("order").first(), unit=outside)
    assert f'value="{outside.pk}"' in unit_select()
    with django_capture_on_commit_callbacks(execute=True):
        outside.name = "Phường Mới Đổi Tên"
        outside.save()
    assert "Phường Mới Đổi Tên" in unit_select()
