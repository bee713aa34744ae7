"""Monitoring figures are cached under a version of the data they are computed from
(chiso.core.figures_cache, chiso.core.data_versions): every change chiso makes replaces it when it
commits, and its own transaction sees a version of its own meanwhile, so no page shows figures older than the
last change."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.utils import timezone

from chiso.core.figures_cache import VERSION_KEY, data_version
from chiso.core.locking import claim_version
from chiso.monitoring.dashboards.emulation import emulation_table
from chiso.monitoring.dashboards.plan import plan_dashboard
from chiso.monitoring.models import EmulationWeights, LineStatus, ReportingPeriod, ReportLine
from chiso.monitoring.reports.services import LineData, save_line, submit_report
from chiso.orgs.models import UnitGroup
from chiso.plans.models import Assignment, Plan
from tests.monitoring_helpers import minhxuan_report, quarter_three, user


def _one_line_done(plan: Plan) -> None:
    report = minhxuan_report(plan)
    line = report.lines.filter(assignment__due_date__isnull=False).order_by("assignment__due_date", "id").first()
    save_line(line, LineData(status=LineStatus.DONE, progress=100, work_done="Đã ban hành kế hoạch"),
              expected_version=line.lock_version)
    submit_report(report, user("leader"))


@pytest.mark.django_db
def test_the_dashboard_and_the_ranking_show_a_report_sent_after_they_were_read(demo_plan):
    today = timezone.localdate()
    before = plan_dashboard(demo_plan, today)
    year = quarter_three(demo_plan).end.year  # the year the report speaks of
    ranking_before = emulation_table(demo_plan.province, year, today)
    assert plan_dashboard(demo_plan, today).total.done == before.total.done  # read again, from the cache
    _one_line_done(demo_plan)
    after = plan_dashboard(demo_plan, today)
    assert after.total.done == before.total.done + 1 and after.total.reported > before.total.reported
    ranking_after = emulation_table(demo_plan.province, year, today)
    minhxuan = user("focal_point").unit_id
    assert ranking_after.row_of(minhxuan) != ranking_before.row_of(minhxuan)


def _edit_task(plan: Plan) -> None:
    plan.tasks.order_by("id").first().save()


def _remove_assignment(plan: Plan) -> None:
    Assignment.objects.filter(task__plan=plan).order_by("id").first().delete()


def _edit_sent_line(plan: Plan) -> None:
    """A line of a sent report, changed as the back office can."""
    report = minhxuan_report(plan)
    submit_report(report, user("leader"))
    line = ReportLine.objects.filter(report=report).order_by("id").first()  # its report not loaded
    line.progress = 40
    line.save()


def _edit_period(plan: Plan) -> None:
    period = ReportingPeriod.objects.filter(plan=plan).order_by("id").first()
    claim_version(period, period.lock_version)
    period.save()


def _edit_group(plan: Plan) -> None:
    group = UnitGroup.objects.filter(province=plan.province).order_by("id").first()
    claim_version(group, group.lock_version)
    group.save()


CHANGES: dict[str, Callable[[Plan], None]] = {
    "plan": lambda plan: plan.save(),
    "task": _edit_task,
    "assignment": _remove_assignment,
    "reporting period": _edit_period,
    "line of a sent report": _edit_sent_line,
    "report": _one_line_done,
    "unit group": _edit_group,
    "emulation weights": lambda plan: EmulationWeights.objects.create(province=plan.province),
}


@pytest.mark.django_db
@pytest.mark.parametrize("change", sorted(CHANGES))
def test_every_kind_of_change_is_seen_at_once_by_its_transaction_and_by_others_once_committed(
        demo_plan, change, django_capture_on_commit_callbacks):
    before = data_version()
    shared = cache.get(VERSION_KEY)  # what every other process reads
    with django_capture_on_commit_callbacks(execute=True):
        CHANGES[change](demo_plan)
        assert data_version() != before  # the changing transaction computes afresh
        # Others cannot see the change yet: a version replaced now would keep their old reading.
        assert cache.get(VERSION_KEY) == shared
    assert cache.get(VERSION_KEY) != shared
@pytest.mark.django_db
def test_a_unit_writing_its_draft_report_leaves_the_figures_cached(demo_plan, django_capture_on_commit_callbacks):
    """No figure reads a report before it is sent, and units save draft lines all day: a cache emptied by each
    save would be no cache under load."""
    report = minhxuan_report(demo_plan)  # opened (created) before the figures are read
    today = timezone.localdate()
    first = plan_dashboard(demo_plan, today)
    with django_capture_on_commit_callbacks(execute=True):
        for line in report.lines.order_by("id")[:3]:
            save_line(line, LineData(status=LineStatus.IN_PROGRESS, progress=40), expected_version=line.lock_version)
    assert plan_dashboard(demo_plan, today).version == first.version
    with django_capture_on_commit_callbacks(execute=True):
        submit_report(report, user("leader"))
    assert plan_dashboard(demo_plan, today).version != first.version


@pytest.mark.django_db
def test_the_pages_show_a_report_sent_after_they_were_read(demo_plan):
    """The rendered tables are kept as long as the figures: a page read again after a change shows it."""
    from tests.conftest import client_for

    coordinator = client_for("coordinator")

    def units_of(url: str, section: str) -> str:
        page = coordinator.get(url).content.decode()
        return page[page.index(f'id="{section}"'):page.index("</section>", page.index(f'id="{section}"'))]

    dashboard_url = f"/theo-doi/ke-hoach/{demo_plan.pk}/"
    ranking_url = f"/theo-doi/thi-dua/?nam={quarter_three(demo_plan).end.year}"
    dashboard, ranking = units_of(dashboard_url, "by-unit"), units_of(ranking_url, "ranking")
    assert units_of(dashboard_url, "by-unit") == dashboard
    _one_line_done(demo_plan)
    assert units_of(dashboard_url, "by-unit") != dashboard
    assert units_of(ranking_url, "ranking") != ranking


@pytest.mark.django_db
def test_a_transaction_writing_many_rows_replaces_each_version_once_and_robustly(demo_plan):
    from django.db import connection, transaction

    with transaction.atomic():
        before = len(connection.run_on_commit)
        tokens = set()
        for task in demo_plan.tasks.order_by("id")[:5]:
            task.save()
            tokens.add(data_version())
        registered = connection.run_on_commit[before:]
        assert len(tokens) == 5  # each change is seen at once by its own transaction
        # One replacement for the figures and one for the plan's public page, not one per row; run whatever
        # happens to the cache, so that the callbacks after them (e-mails, background tasks) still run.
        assert len(registered) == 2 and all(robust for _savepoints, _callback, robust in registered)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_figures_read_again_come_from_the_cache(demo_plan, django_assert_num_queries):
    today = timezone.localdate()
    first = plan_dashboard(demo_plan, today)
    with django_assert_num_queries(0):  # the memory cache of the tests: no query at all
        again = plan_dashboard(demo_plan, today)
    assert again.version == first.version and again.total.assigned == first.total.assigned


@pytest.mark.django_db
def test_the_results_table_shows_a_result_changed_after_it_was_read(django_capture_on_commit_callbacks):
    """The national table of a year is computed and rendered once per version of the data
    (results.views.overview): a total corrected afterwards shows at once, in its place in the ranking."""
    from decimal import Decimal

    from chiso.results.models import Result
    from tests.conftest import client_for

    result = Result.objects.provincial().filter(framework__index="PAPI", year=2021).order_by("pk").first()
    url = "/ket-qua/?index=PAPI&year=2021"
    viewer = client_for("viewer")

    def table() -> str:
        page = viewer.get(url).content.decode()
        return page[page.index("<tbody>"):page.index("</tbody>")]

    first = table()
    assert table() == first and "99,999" not in first
    with django_capture_on_commit_callbacks(execute=True):
        result.total = Decimal("99.999")
        result.rank = None
        result.save()
    first_row = table().split("</tr>")[0]
    assert "99,999" in first_row and result.province.name in first_row  # ranked first now


@pytest.mark.django_db
def test_the_coordinators_to_do_and_a_results_analysis_show_changes_at_once(
        demo_plan, django_capture_on_commit_callbacks):
    """The province's to-do (reports to review, late units, unit plans: monitoring.todo) and a result's analysis
    (results.views.result_detail) are computed once per version of the data: a report sent, or a score
    corrected, after they were read shows the next time."""
    from decimal import Decimal

    from chiso.core.todo import todo_items
    from chiso.results.models import Result, Score
    from tests.conftest import client_for

    coordinator, today = user("coordinator"), timezone.localdate()

    def waiting() -> int:
        return sum(item.count for item in todo_items(coordinator, today) if "chờ thẩm định" in item.label)

    before = waiting()
    assert waiting() == before
    with django_capture_on_commit_callbacks(execute=True):
        _one_line_done(demo_plan)  # sent by the unit's leader: one more report to review
    assert waiting() == before + 1

    result = Result.objects.provincial().filter(framework__index="PAPI", year=2021, scores__isnull=False).order_by(
        "pk").first()
    url = f"/ket-qua/{result.pk}/"
    viewer = client_for("viewer")
    assert viewer.get(url).status_code == 200
    score = Score.objects.filter(result=result, node__depth=0).order_by("node__position").first()
    with django_capture_on_commit_callbacks(execute=True):
        score.value = Decimal("9.876")
        score.save()
    assert "9,876" in viewer.get(url).content.decode()
