"""The province dashboard of a plan: completion by index and by unit, overdue tasks, units that have not
reported — what the reports say, in a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest

from chiso.monitoring import lateness
from chiso.monitoring.dashboards.plan import plan_dashboard
from chiso.monitoring.reports.services import accept_report, submit_report
from chiso.plans.models import Assignment
from tests.conftest import client_for
from tests.monitoring_helpers import minhxuan_report, user
from tests.test_queries import _add_tasks

AFTER_Q3 = dt.date(2025, 9, 16)


@pytest.mark.django_db
def test_dashboard_counts_what_the_accepted_reports_say_and_what_is_overdue(demo_plan):
    board = plan_dashboard(demo_plan, AFTER_Q3)
    assert board.total.assigned == Assignment.objects.filter(task__plan=demo_plan).count()
    assert sum(row.assigned for row in board.by_index) == board.total.assigned  # one index per demo task
    assert {row.label for row in board.by_index} == {"PAR INDEX", "PAPI", "SIPAS"}
    skhcn = next(row for row in board.by_unit if row.key.code == "so-khoa-hoc-va-cong-nghe")
    assert (skhcn.done, skhcn.reported) == (1, skhcn.assigned)  # the demo's accepted report: one task done
    expected_overdue = lateness.overdue_assignments(Assignment.objects.filter(task__plan=demo_plan), AFTER_Q3)
    assert board.overdue_count == expected_overdue.count() == len(board.overdue)
    assert board.period.label == "Quý III/2025"
    not_reported = {u.code for u in board.not_reported}
    assert "phuong-minh-xuan" in not_reported and "so-khoa-hoc-va-cong-nghe" not in not_reported

    # Minh Xuân reports every task done; once accepted it counts, and it has reported.
    report = minhxuan_report(demo_plan)
    report.lines.update(status="done", progress=100)
    submit_report(report, user("leader"))
    assert "phuong-minh-xuan" not in {u.code for u in plan_dashboard(demo_plan, AFTER_Q3).not_reported}
    minhxuan_before = next(r for r in plan_dashboard(demo_plan, AFTER_Q3).by_unit if r.key.code == "phuong-minh-xuan")
    assert minhxuan_before.done == minhxuan_before.assigned  # submitted counts, as for lateness
    accept_report(report, user("coordinator"))
    after = plan_dashboard(demo_plan, AFTER_Q3)
    minhxuan = next(r for r in after.by_unit if r.key.code == "phuong-minh-xuan")
    assert (minhxuan.done, minhxuan.overdue, minhxuan.done_percent) == (minhxuan.assigned, 0, 100)
    assert after.overdue_count == board.overdue_count - next(
        r for r in board.by_unit if r.key.code == "phuong-minh-xuan").overdue


DASHBOARD = {"admin": 200, "coordinator": 200, "viewer": 200, "focal_point": 403, "leader": 403,
             "other_commune": 403, "anonymous": 302}


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(DASHBOARD))
def test_dashboard_is_for_the_province(demo_plan, role):
    response = client_for(role).get(f"/theo-doi/ke-hoach/{demo_plan.pk}/")
    assert response.status_code == DASHBOARD[role]
    if response.status_code == 200:
        page = response.content.decode()
        assert "Nhiệm vụ quá hạn" in page and "Phường Minh Xuân" in page


@pytest.mark.django_db
def test_dashboard_query_count_does_not_grow_with_the_plan(demo_plan, django_assert_max_num_queries):
    client = client_for("coordinator")
    url = f"/theo-doi/ke-hoach/{demo_plan.pk}/"
    # session, user, unit; plan; assignments; report lines; task indices; units; overdue list; last period;
    # its owing units and submitted reports.
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200
    _add_tasks(demo_plan, 60)
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_dashboard_page_shows_a_task_past_its_due_date_and_a_unit_that_has_not_reported(demo_plan):
    from django.utils import timezone

    from chiso.monitoring.models import ReportingPeriod

    today = timezone.localdate()
    assignment = Assignment.objects.filter(task__plan=demo_plan, unit=user("focal_point").unit).exclude(
        due_date=None).select_related("task").first()
    Assignment.objects.filter(pk=assignment.pk).update(due_date=today - dt.timedelta(days=1))
    q3 = demo_plan.reporting_periods.get(label="Quý III/2025")
    ReportingPeriod.objects.filter(pk=q3.pk).update(due_date=today - dt.timedelta(days=1))
    unit = user("focal_point").unit
    # Drill-down from the unit's row: its own overdue tasks.
    page = client_for("coordinator").get(f"/theo-doi/ke-hoach/{demo_plan.pk}/?don-vi={unit.pk}").content.decode()
    overdue = page[page.index('id="overdue"'):page.index('id="not-reported"')]
    assert "Nhiệm vụ quá hạn của Phường Minh Xuân" in overdue
    assert f"/nhiem-vu/{assignment.task_id}/" in overdue
    not_reported = page[page.index('id="not-reported"'):]
    assert "Phường Minh Xuân" in not_reported and "Sở Khoa học và Công nghệ" not in not_reported


@pytest.mark.django_db
def test_dashboard_counts_each_task_under_its_top_level_component_and_draws_the_charts(demo_plan):
    import json

    from chiso.frameworks.models import Node

    board = plan_dashboard(demo_plan, AFTER_Q3)
    tops = Node.objects.filter(pk__in=[row.key for row in board.by_node])
    assert tops and all(node.depth == 0 for node in tops)
    # A demo task hangs on one component: the components split the plan's assignments between them.
    assert sum(row.assigned for row in board.by_node) == board.total.assigned
    papi_three = next(row for row in board.by_node if row.label.startswith("PAPI 3."))
    expected = Assignment.objects.filter(task__plan=demo_plan, task__nodes__framework__index="PAPI",
                                         task__nodes__code__startswith="3").distinct().count()
    assert papi_three.assigned == expected

    page = client_for("coordinator").get(f"/theo-doi/ke-hoach/{demo_plan.pk}/").content.decode()
    for chart in ("on-time-chart", "index-chart", "node-chart", "unit-chart"):
        assert f'data-chart="{chart}"' in page
    start = page.index('<script id="unit-chart" type="application/json">') + len(
        '<script id="unit-chart" type="application/json">')
    config = json.loads(page[start:page.index("</script>", start)])
    from django.utils import timezone

    assert config["data"]["labels"] == [row.label for row in plan_dashboard(demo_plan, timezone.localdate()).by_unit]
    on_time, late, overdue, cannot_do, still_open = (dataset["data"] for dataset in config["data"]["datasets"])
    assert all(abs(sum(parts) - 100) < 0.5
               for parts in zip(on_time, late, overdue, cannot_do, still_open, strict=True))
    assert "vendor/chartjs/chart.umd.min.js" in page
