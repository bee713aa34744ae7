"""The unit dashboard, the emulation ranking (thi đua) with its weights, and the leadership page of an index:
who sees what, what they show of late tasks and reports, and their query bounds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from chiso.monitoring.dashboards.emulation import emulation_table
from chiso.monitoring.models import EmulationWeights, ReportingPeriod, UnitReport
from chiso.monitoring.reports.services import accept_report, submit_report
from chiso.plans.models import Assignment
from tests.conftest import client_for
from tests.monitoring_helpers import minhxuan_report, user
from tests.test_queries import _add_tasks

ROLES = ["admin", "coordinator", "focal_point", "leader", "viewer", "other_commune", "anonymous"]


def _minhxuan_unit_id() -> int:
    return user("focal_point").unit_id


PAGES = {
    # Unit staff land on their unit's page; the province's people on the ranking.
    "my_unit": ("/theo-doi/don-vi/", {"admin": 302, "coordinator": 302, "viewer": 302, "focal_point": 200,
                                      "leader": 200, "other_commune": 200, "anonymous": 302}),
    # Minh Xuân's page: its own staff and the province; another commune learns nothing.
    "minhxuan": ("/theo-doi/don-vi/{unit}/", {"admin": 200, "coordinator": 200, "viewer": 200, "focal_point": 200,
                                               "leader": 200, "other_commune": 404, "anonymous": 302}),
    # The ranking is open to the whole province; its weights are the coordinators'.
    "ranking": ("/theo-doi/thi-dua/", dict.fromkeys(ROLES, 200) | {"anonymous": 302}),
    "weights": ("/theo-doi/thi-dua/cach-tinh/", dict.fromkeys(ROLES, 403) | {"admin": 200, "coordinator": 200,
                                                                             "anonymous": 302}),
    # The leadership page: province leadership and coordinators, not the units.
    "index": ("/theo-doi/chi-so/PAPI/", dict.fromkeys(ROLES, 403) | {"admin": 200, "coordinator": 200,
                                                                      "viewer": 200, "anonymous": 302}),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_dashboard_page_answers_each_role_as_its_rights_allow(demo_plan, role):
    client = client_for(role)
    failures = []
    for name, (url, expected) in PAGES.items():
        status = client.get(url.format(unit=_minhxuan_unit_id())).status_code
        if status != expected[role]:
            failures.append(f"{name}: {status} != {expected[role]}")
    assert not failures, failures


AFTER_2025 = dt.date(2026, 1, 10)


def _minhxuan_q3_reported(demo_plan, *, on_time: bool):  # type: ignore[no-untyped-def]
    """Minh Xuân's third-quarter report: its first task done on time, its second done late, the rest not
    started; submitted and accepted, on time or after the deadline."""
    report = minhxuan_report(demo_plan)
    lines = list(report.lines.filter(assignment__due_date__isnull=False).select_related("assignment")
                 .order_by("assignment__due_date", "id"))
    first, second = lines[0], lines[1]
    report.lines.filter(pk=first.pk).update(status="done", progress=100)
    report.lines.filter(pk=second.pk).update(status="done_late", progress=100, reason="Chờ văn bản hướng dẫn")
    submit_report(report, user("leader"))
    accept_report(report, user("coordinator"))
    sent = dt.datetime(2025, 9, 10 if on_time else 20, 9, tzinfo=dt.UTC)
    UnitReport.objects.filter(pk=report.pk).update(first_submitted_at=sent)
    return report, first.assignment, second.assignment


@pytest.mark.django_db
def test_emulation_score_follows_the_formula_with_the_provinces_weights(demo_plan):
    province = demo_plan.province
    unit = user("focal_point").unit
    _, on_time, late = _minhxuan_q3_reported(demo_plan, on_time=True)
    assert on_time.due_date.year == late.due_date.year == 2025
    tasks = Assignment.objects.filter(task__plan=demo_plan, unit=unit, due_date__year=2025).count()
    periods = ReportingPeriod.objects.filter(plan=demo_plan, due_date__year=2025).count()
    assert tasks > 2 and periods >= 2

    row = emulation_table(province, 2025, AFTER_2025).row_of(unit.pk)
    assert (row.tasks, row.tasks_on_time, row.tasks_late) == (tasks, 1, 1)
    assert (row.reports, row.reports_on_time, row.reports_late) == (periods, 1, 0)
    task_rate = (1 + Decimal("0.5")) / tasks
    report_rate = Decimal(1) / periods
    expected = (100 * (70 * task_rate + 30 * report_rate) / 100).quantize(Decimal("0.01"))
    assert row.score == expected

    # The province weighs only reports, and a late report earns nothing: the score follows.
    weights = EmulationWeights.objects.create(province=province, task_weight=0, report_weight=1,
                                              late_task_credit=Decimal("0.5"), late_report_credit=Decimal(0))
    assert emulation_table(province, 2025, AFTER_2025).row_of(unit.pk).score == (100 * report_rate).quantize(
        Decimal("0.01"))
    UnitReport.objects.filter(unit=unit).update(first_submitted_at=dt.datetime(2025, 9, 20, 9, tzinfo=dt.UTC))
    late_row = emulation_table(province, 2025, AFTER_2025, weights=weights).row_of(unit.pk)
    assert (late_row.reports_on_time, late_row.reports_late, late_row.score) == (0, 1, Decimal("0.00"))


@pytest.mark.django_db
def test_emulation_ranks_units_of_a_block_and_shares_ranks_on_equal_scores(demo_plan):
    unit = user("focal_point").unit
    _minhxuan_q3_reported(demo_plan, on_time=True)
    communes = emulation_table(demo_plan.province, 2025, AFTER_2025, block="xa-phuong")
    assert all(row.unit.kind in ("commune", "ward") for row in communes.rows)
    assert communes.row_of(unit.pk).rank == 1
    others = [row for row in communes.rows if row.unit.pk != unit.pk]
    assert others and {row.rank for row in others} == {2}  # nobody else did anything: all tied second
    everyone = emulation_table(demo_plan.province, 2025, AFTER_2025)
    scores = [row.score for row in everyone.rows if row.score is not None]
    assert scores == sorted(scores, reverse=True)
    # On the year's first day no deadline has passed: only tasks already reported done are assessed.
    early = emulation_table(demo_plan.province, 2025, dt.date(2025, 1, 1)).rows
    assert early and all(row.reports == 0 and row.tasks_not_done == 0 for row in early)


@pytest.mark.django_db
def test_unit_dashboard_shows_late_tasks_and_reports_and_the_units_standing(demo_plan):
    unit = user("focal_point").unit
    today = timezone.localdate()
    assignment = Assignment.objects.filter(task__plan=demo_plan, unit=unit).exclude(due_date=None).first()
    Assignment.objects.filter(pk=assignment.pk).update(due_date=today - dt.timedelta(days=1))
    q3 = demo_plan.reporting_periods.get(label="Quý III/2025")
    page = client_for("leader").get("/theo-doi/don-vi/").content.decode()
    overdue = page[page.index('id="overdue"'):page.index('id="late-reports"')]
    assert f"/nhiem-vu/{assignment.task_id}/" in overdue and "Quá hạn" in overdue
    late_reports = page[page.index('id="late-reports"'):page.index('id="due-next"')]
    assert q3.label in late_reports
    standing = page[page.index('id="standing"'):page.index('id="overdue"')]
    assert "Khối xã, phường" in standing and "/theo-doi/thi-dua/" in standing
    # Once the report is sent it is no longer listed as late.
    _minhxuan_q3_reported(demo_plan, on_time=False)
    page = client_for("leader").get("/theo-doi/don-vi/").content.decode()
    assert q3.label not in page[page.index('id="late-reports"'):page.index('id="due-next"')]


@pytest.mark.django_db
def test_ranking_page_explains_the_formula_and_draws_the_chart(demo_plan):
    _minhxuan_q3_reported(demo_plan, on_time=True)
    page = client_for("focal_point").get("/theo-doi/thi-dua/?nam=2025").content.decode()
    assert "Điểm = 100 × (70 × tỷ lệ hoàn thành nhiệm vụ đúng hạn + 30 × tỷ lệ báo cáo đúng hạn)" in page
    assert 'data-chart="score-chart"' in page
    own = page[page.index(f'id="unit-{user("focal_point").unit_id}"'):]
    assert own.startswith(f'id="unit-{user("focal_point").unit_id}" class="own')
    # Unit staff open only their own unit's dashboard from the table.
    assert page.count("/theo-doi/don-vi/") == 2  # the nav … and their own row
    for bad in ("?nam=abc", "?nam=99999999999", "?khoi=<x>"):
        assert client_for("coordinator").get(f"/theo-doi/thi-dua/{bad}").status_code == 200


@pytest.mark.django_db
def test_coordinator_edits_the_weights_with_history_and_a_stale_edit_is_refused(demo_plan):
    client = client_for("coordinator")
    url = "/theo-doi/thi-dua/cach-tinh/"
    data = {"task_weight": "60", "report_weight": "40", "late_task_credit": "0,25", "late_report_credit": "0,5",
            "lock_version": "1"}
    assert client.post(url, data).status_code == 302
    weights = EmulationWeights.objects.get(province=demo_plan.province)
    assert (weights.task_weight, weights.late_task_credit, weights.lock_version) == (60, Decimal("0.25"), 1)
    assert weights.history.count() == 1 and weights.history.first().history_user.username == "dieuphoi"
    assert client.post(url, data | {"task_weight": "50", "lock_version": "1"}).status_code == 302
    weights.refresh_from_db()
    assert (weights.task_weight, weights.lock_version, weights.history.count()) == (50, 2, 2)
    # A form opened before that save is refused.
    stale = client.post(url, data | {"task_weight": "10", "lock_version": "1"})
    assert stale.status_code == 409 and "vừa được người khác cập nhật" in stale.content.decode()
    weights.refresh_from_db()
    assert weights.task_weight == 50
    page = client.get("/theo-doi/thi-dua/").content.decode()
    assert "Điểm = 100 × (50 × tỷ lệ" in page


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "message"), [
    ({"task_weight": "0", "report_weight": "0"}, "Ít nhất một trọng số phải lớn hơn 0."),
    ({"late_task_credit": "1,5"}, "Nhập một số từ 0 đến 1"),
    ({"late_report_credit": "abc"}, "Nhập một số, dùng dấu phẩy thập phân"),
    ({"task_weight": "250"}, "Nhập một số nguyên từ 0 đến 100."),
])
def test_bad_weights_are_refused_with_a_vietnamese_message_and_change_nothing(demo_plan, changes, message):
    data = {"task_weight": "70", "report_weight": "30", "late_task_credit": "0,5", "late_report_credit": "0,5",
            "lock_version": "1"} | changes
    response = client_for("coordinator").post("/theo-doi/thi-dua/cach-tinh/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not EmulationWeights.objects.exists()


@pytest.mark.django_db
def test_leadership_page_shows_results_targets_and_late_tasks_of_the_index(demo_plan):
    today = timezone.localdate()
    papi_assignment = Assignment.objects.filter(task__plan=demo_plan, task__nodes__framework__index="PAPI").first()
    Assignment.objects.filter(pk=papi_assignment.pk).update(due_date=dt.date(2024, 12, 31))  # first in the list
    page = client_for("viewer").get("/theo-doi/chi-so/PAPI/").content.decode()
    results = page[page.index('id="results"'):page.index('id="targets"')]
    assert "PAPI 2024" in results and "Nội dung cần cải thiện" in results
    targets = page[page.index('id="targets"'):page.index('id="plan-state"')]
    assert "PAPI" in targets
    overdue = page[page.index('id="overdue"'):]
    assert f"/nhiem-vu/{papi_assignment.task_id}/" in overdue
    # Only PAPI tasks: a PAR INDEX-only task is not counted on this page.
    from chiso.monitoring.dashboards.plan import plan_dashboard

    papi = plan_dashboard(demo_plan, today, index="PAPI")
    expected = Assignment.objects.filter(task__plan=demo_plan, task__nodes__framework__index="PAPI").distinct().count()
    assert papi.total.assigned == expected < plan_dashboard(demo_plan, today).total.assigned
    assert client_for("viewer").get("/theo-doi/chi-so/NOPE/").status_code == 404
    assert client_for("viewer").get(f"/theo-doi/chi-so/PAPI/?ke-hoach={demo_plan.pk + 999}").status_code == 404


BOUNDED = {
    # session, user, unit; the unit; its assignments, closed and done lines, plans, next due, overdue, periods,
    # its reports; the emulation years and table (weights, periods, owing units, tasks, units, lines, reports).
    "unit": ("leader", "/theo-doi/don-vi/", 22),
    "unit_seen_by_province": ("coordinator", "/theo-doi/don-vi/{unit}/", 22),
    # session, user, unit, province; years; the table's seven queries.
    "ranking": ("coordinator", "/theo-doi/thi-dua/?nam=2025", 14),
    "weights": ("coordinator", "/theo-doi/thi-dua/cach-tinh/", 8),
    # session, user, unit, province; plans; the index's results of every year; the plan's targets; one batch of
    # analyses for the results and the targets' (provinces, peers with scores, nodes); the index's dashboard.
    "index": ("viewer", "/theo-doi/chi-so/PAPI/", 20),
    "index_par": ("viewer", "/theo-doi/chi-so/PAR_INDEX/", 20),
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", sorted(BOUNDED))
def test_dashboard_pages_make_a_bounded_number_of_queries(demo_plan, page, django_assert_max_num_queries):
    role, url, bound = BOUNDED[page]
    url = url.format(unit=_minhxuan_unit_id())
    client = client_for(role)
    with django_assert_max_num_queries(bound):
        assert client.get(url).status_code == 200
    _add_tasks(demo_plan, 60)
    _minhxuan_q3_reported(demo_plan, on_time=False)
    with django_assert_max_num_queries(bound):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_unit_staff_find_their_units_page_from_the_navigation_and_home(demo_plan):
    for role in ("focal_point", "leader"):
        page = client_for(role).get("/").content.decode()
        nav = page[page.index('<nav class="mainnav"'):page.index("</nav>")]
        assert 'href="/theo-doi/don-vi/"' in nav and "Đơn vị của tôi" in nav
        assert "Bảng theo dõi của đơn vị" in page[page.index("</nav>"):]
    for role in ("coordinator", "viewer"):
        assert "Đơn vị của tôi" not in client_for(role).get("/").content.decode()


@pytest.mark.django_db
def test_a_unit_tied_with_others_is_told_so(demo_plan):
    from chiso.monitoring.dashboards.unit import unit_board

    # On a fixed day: nothing reported by any commune for 2025, every commune scores 0 and shares the first rank.
    unit = user("focal_point").unit
    board = unit_board(unit, AFTER_2025)
    table = emulation_table(demo_plan.province, 2025, AFTER_2025, block="xa-phuong")
    assert board.table is not None and board.table.year == 2025
    assert board.standing is not None and board.standing.rank == 1
    assert table.ranked > 1 and board.tied_with == table.ranked - 1
    # The page says what its own board computed, whatever day the test runs.
    response = client_for("focal_point").get("/theo-doi/don-vi/")
    shown = response.context["board"]
    page = response.content.decode()
    standing = page[page.index('id="standing"'):page.index('id="overdue"')]
    assert f"{shown.standing.rank}/{shown.table.ranked}" in standing
    assert f"đồng hạng với {shown.tied_with} đơn vị khác" in standing


TASK_PAGE = {"admin": 200, "coordinator": 200, "viewer": 200, "focal_point": 200, "leader": 200,
             "other_commune": 200, "anonymous": 302}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_task_drill_down_shows_each_role_only_the_reports_it_may_see(demo_plan, role, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chiso.monitoring.reports.evidence import check_evidence
    from chiso.monitoring.reports.services import add_evidence
    from tests.monitoring_helpers import pdf_bytes

    settings.MEDIA_ROOT = tmp_path
    report, on_time, _late = _minhxuan_q3_reported(demo_plan, on_time=True)
    line = report.lines.get(assignment=on_time)
    # Evidence is added to a draft; put it on the line and keep the report as accepted.
    UnitReport.objects.filter(pk=report.pk).update(status="draft")
    add_evidence(line, check_evidence(SimpleUploadedFile("quyet-dinh.pdf", pdf_bytes()), "quyet-dinh.pdf"),
                 user("focal_point"))
    UnitReport.objects.filter(pk=report.pk).update(status="accepted")
    response = client_for(role).get(f"/theo-doi/nhiem-vu/{on_time.task_id}/")
    assert response.status_code == TASK_PAGE[role]
    if response.status_code != 200:
        return
    page = response.content.decode()
    sees_minhxuan = role in ("admin", "coordinator", "viewer", "focal_point", "leader")
    assert ("quyet-dinh.pdf" in page) == sees_minhxuan
    assert (f'id="unit-{on_time.unit_id}"' in page) == sees_minhxuan
    if role == "other_commune":
        # Its own share of the task, if any; never Minh Xuân's.
        assert "Phường Minh Xuân" not in page


@pytest.mark.django_db
def test_task_drill_down_marks_an_overdue_unit_and_is_linked_from_the_dashboards(demo_plan,
                                                                                 django_assert_max_num_queries):
    unit = user("focal_point").unit
    assignment = Assignment.objects.filter(task__plan=demo_plan, unit=unit).exclude(due_date=None).first()
    Assignment.objects.filter(pk=assignment.pk).update(due_date=dt.date(2024, 1, 1))
    client = client_for("coordinator")
    dashboard = client.get(f"/theo-doi/ke-hoach/{demo_plan.pk}/?don-vi={unit.pk}").content.decode()
    assert f"/theo-doi/nhiem-vu/{assignment.task_id}/#unit-{unit.pk}" in dashboard
    assert f"/theo-doi/nhiem-vu/{assignment.task_id}/#unit-{unit.pk}" in client_for("leader").get(
        "/theo-doi/don-vi/").content.decode()
    url = f"/theo-doi/nhiem-vu/{assignment.task_id}/"
    # session, user, unit; task; overdue ids; assignments with units; lines; their evidence.
    with django_assert_max_num_queries(10):
        page = client.get(url).content.decode()
    block = page[page.index(f'id="unit-{unit.pk}"'):]
    assert "Quá hạn" in block[:block.index("</h2>")]
    _add_tasks(demo_plan, 20)
    _minhxuan_q3_reported(demo_plan, on_time=False)
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
    assert client.get("/theo-doi/nhiem-vu/99999999/").status_code == 404
