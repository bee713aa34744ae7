"""One rule for where an assignment stands (chiso.monitoring.state), the same on the province dashboard, the
unit's dashboard and the emulation score."""

from __future__ import annotations

import datetime as dt

import pytest

from chiso.monitoring.dashboards.emulation import emulation_table
from chiso.monitoring.dashboards.plan import plan_dashboard
from chiso.monitoring.dashboards.unit import unit_board
from chiso.monitoring.models import LineStatus, ReportingPeriod
from chiso.monitoring.reports.services import LineData, accept_report, open_report, save_line, submit_report
from chiso.plans.models import ReportKind
from tests.monitoring_helpers import minhxuan_report, user

TODAY = dt.date(2026, 2, 1)


def _done_on_time(demo_plan):  # type: ignore[no-untyped-def]
    report = minhxuan_report(demo_plan)
    line = report.lines.filter(assignment__due_date__isnull=False).select_related("assignment").first()
    due = line.assignment.due_date
    save_line(line, LineData(status=LineStatus.DONE, progress=100, completed_on=due - dt.timedelta(days=3)),
              expected_version=line.lock_version)
    submit_report(report, user("leader"))
    accept_report(report, user("coordinator"))
    return report, line.assignment


def _counts(demo_plan, unit, year):  # type: ignore[no-untyped-def]
    dashboard = plan_dashboard(demo_plan, TODAY).by_unit
    row = next(t for t in dashboard if t.key == unit)
    board = unit_board(unit, TODAY).total
    score = emulation_table(unit.province, year, TODAY).row_of(unit.pk)
    return (row.done, row.on_time), (board.done, board.on_time), (score.tasks_on_time if score else 0)


@pytest.mark.django_db
def test_a_blank_ad_hoc_report_does_not_undo_an_earlier_completion_anywhere(demo_plan):
    report, assignment = _done_on_time(demo_plan)
    before = _counts(demo_plan, report.unit, assignment.due_date.year)
    assert before[0] == before[1] and before[0][1] >= 1 and before[2] >= 1
    ad_hoc = ReportingPeriod.objects.create(
        plan=demo_plan, kind=ReportKind.AD_HOC, label="Báo cáo đột xuất tháng 10", start=dt.date(2025, 10, 1),
        end=dt.date(2025, 10, 31), due_date=dt.date(2025, 11, 5))
    blank = open_report(ad_hoc, report.unit, user("focal_point"), carry_forward=False)
    submit_report(blank, user("leader"))
    assert _counts(demo_plan, report.unit, assignment.due_date.year) == before


@pytest.mark.django_db
def test_a_later_report_saying_done_late_does_not_change_the_first_completion(demo_plan):
    report, assignment = _done_on_time(demo_plan)
    before = _counts(demo_plan, report.unit, assignment.due_date.year)
    ad_hoc = ReportingPeriod.objects.create(
        plan=demo_plan, kind=ReportKind.AD_HOC, label="Báo cáo đột xuất tháng 10", start=dt.date(2025, 10, 1),
        end=dt.date(2025, 10, 31), due_date=dt.date(2025, 11, 5))
    later = open_report(ad_hoc, report.unit, user("focal_point"), carry_forward=True)
    assert later.lines.get(assignment=assignment).status == LineStatus.DONE
    submit_report(later, user("leader"))
    assert _counts(demo_plan, report.unit, assignment.due_date.year) == before


@pytest.mark.django_db
def test_a_task_due_at_the_end_of_the_plan_is_closed_by_the_closing_report_and_scored_in_its_year(demo_plan):
    report = minhxuan_report(demo_plan)  # generates the periods, the closing one included
    closing = demo_plan.reporting_periods.get(label__startswith="Báo cáo khi kết thúc kế hoạch")
    assert closing.due_date == dt.date(2026, 1, 15)
    last = demo_plan.reporting_periods.exclude(pk=closing.pk).order_by("-due_date").first()
    unit = report.unit
    final = open_report(closing, unit, user("focal_point"))
    line = final.lines.filter(assignment__due_date__gt=last.due_date).select_related("assignment").first()
    assert line is not None, "the demo has tasks due after the last regular deadline"
    before = emulation_table(unit.province, 2025, TODAY).row_of(unit.pk)
    save_line(line, LineData(status=LineStatus.DONE, progress=100, completed_on=line.assignment.due_date),
              expected_version=line.lock_version)
    submit_report(final, user("leader"))
    after = emulation_table(unit.province, 2025, TODAY).row_of(unit.pk)
    assert after.tasks_on_time == (before.tasks_on_time if before else 0) + 1
    board = plan_dashboard(demo_plan, TODAY)
    assert line.assignment not in board.overdue


@pytest.mark.django_db
def test_a_task_that_cannot_be_done_has_its_own_segment_not_in_progress(demo_plan):
    from chiso.monitoring.dashboards import charts

    report = minhxuan_report(demo_plan)
    line = report.lines.filter(assignment__due_date__gt=TODAY).first() or report.lines.first()
    before = plan_dashboard(demo_plan, TODAY).total
    save_line(line, LineData(status=LineStatus.CANNOT_DO, reason="Không có kinh phí"),
              expected_version=line.lock_version)
    submit_report(report, user("leader"))
    total = plan_dashboard(demo_plan, TODAY).total
    assert total.cannot_do == before.cannot_do + 1
    assert total.open + total.overdue == before.open + before.overdue - 1
    doughnut = charts.on_time_chart(total)
    labels = [str(label) for label in doughnut["data"]["labels"]]
    values = dict(zip(labels, doughnut["data"]["datasets"][0]["data"], strict=True))
    assert values["Không thực hiện được"] == total.cannot_do
    assert sum(values.values()) == total.assigned


@pytest.mark.django_db
def test_the_units_owing_a_report_are_the_same_on_every_page_and_in_the_score(demo_plan):
    from chiso.monitoring import lateness
    from tests.conftest import client_for
    from tests.monitoring_helpers import quarter_three

    q3 = quarter_three(demo_plan)
    owing = lateness.owing_units([demo_plan.pk])[demo_plan.pk]
    rows = lateness.period_rows(q3, TODAY)
    assert {row.unit.pk for row in rows} == owing
    submitted = {row.unit.pk for row in rows if row.report and row.report.first_submitted_at}
    assert {unit_id for _p, unit_id in lateness.missing_reports([q3])} == owing - submitted
    table = emulation_table(demo_plan.province, 2025, TODAY)
    assert {row.unit.pk for row in table.rows if row.reports} == owing
    index = client_for("coordinator").get("/theo-doi/")
    row = next(r for entry in index.context["plans"] for r in entry.rows if r.period.pk == q3.pk)
    assert row.owing == len(owing)
