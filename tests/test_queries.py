"""Pages make a bounded number of queries whatever the size of the plan."""

from __future__ import annotations

import pytest

from chiso.orgs.models import Unit
from chiso.plans.services import TaskData, save_task
from tests.conftest import client_for


def _add_tasks(plan, count: int) -> None:
    node = plan.frameworks.get(index="PAPI").nodes.get(code="3")
    units = list(Unit.objects.filter(province=plan.province, kind="department")[:3])
    for number in range(count):
        save_task(plan, TaskData(content=f"Nhiệm vụ bổ sung {number}", nodes=[node], lead_units=units, lead_groups=[],
                                 coordinating_units=units[:1], coordinating_groups=[], schedule_text="Năm 2025"))


PAGES = {
    # The appendix: plan, filters (units, nodes), tasks + 6 prefetches, frameworks, nodes, session/user.
    "appendix": ("/ke-hoach/{pk}/phu-luc/", 20),
    "detail": ("/ke-hoach/{pk}/", 25),
    "my_tasks": ("/ke-hoach/nhiem-vu-cua-don-vi/", 15),
    # Home: session/user/unit, recent plans, plan counts, the bell, and "Việc cần làm": reports waiting for
    # review, late reports (periods, owing units, submitted), unit plans waiting and late (4), imports (1).
    "home": ("/", 24),
    "plan_list": ("/ke-hoach/", 10),
    "units": ("/don-vi/", 12),
    "task_form": ("/ke-hoach/{pk}/nhiem-vu/moi/", 12),
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_query_count_does_not_grow_with_the_plan(demo_plan, page, django_assert_max_num_queries):
    url, bound = PAGES[page]
    url = url.format(pk=demo_plan.pk)
    client = client_for("coordinator")
    with django_assert_max_num_queries(bound):
        assert client.get(url).status_code == 200
    _add_tasks(demo_plan, 60)
    with django_assert_max_num_queries(bound):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_saving_a_task_led_by_all_communes_costs_a_bounded_number_of_queries(demo_plan, django_assert_max_num_queries):
    from chiso.orgs.models import UnitGroup

    node = demo_plan.frameworks.get(index="PAPI").nodes.get(code="1")
    group = UnitGroup.objects.get(province=demo_plan.province, name="UBND cấp xã")
    with django_assert_max_num_queries(40):
        task = save_task(demo_plan, TaskData(content="Mọi xã", nodes=[node], lead_units=[], lead_groups=[group],
                                             coordinating_units=[], coordinating_groups=[]))
    assert task.assignments.count() == 124


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["focal_point", "leader", "viewer"])
def test_home_and_plan_list_stay_bounded_for_unit_staff_with_unit_plans(demo_plan, role, django_assert_max_num_queries):
    from chiso.accounts.models import User
    from chiso.plans.services import derive_unit_plan

    for username in ("daumoi.minhxuan", "daumoi.skhcn", "daumoi.hagiang1"):
        derive_unit_plan(demo_plan, User.objects.get(username=username).unit)
    client = client_for(role)
    # Home for unit staff adds the bell and "Việc cần làm": periods owed, their reports, overdue and due-soon
    # tasks, the unit's plan drafts, imports in preview. The leadership is sent on to the index overview.
    for url, bound in (("/", 20), ("/ke-hoach/", 12)):
        with django_assert_max_num_queries(bound):
            assert client.get(url).status_code == (302 if role == "viewer" and url == "/" else 200)


@pytest.mark.django_db
def test_framework_page_is_bounded(django_assert_max_num_queries):
    from chiso.frameworks.models import Framework

    par = Framework.objects.get(slug="par-index-province-2022")
    client = client_for("coordinator")
    with django_assert_max_num_queries(12):
        assert client.get(f"/bo-chi-so/{par.pk}/").status_code == 200
