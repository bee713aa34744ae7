"""Server time and query count of the main pages for the people who use them: a coordinator, a unit's focal
point and leader, and the province's leadership. Pages are requested in-process with Django's test client
against the data in the configured database (the synthetic national dataset on PostgreSQL), so the time is
the server's own: URL routing, middleware, queries, rendering — no network, no browser."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chiso.accounts.models import Role, User
from chiso.monitoring.models import ReportingPeriod, ReportLine, ReportStatus, UnitReport
from chiso.orgs.models import Province
from chiso.plans.models import Assignment, Plan, PlanStatus, Task
from chiso.results.models import Result


@dataclass
class Page:
    persona: str
    user: User
    name: str
    url: str
    htmx: bool = False


@dataclass
class Measure:
    page: Page
    status: int
    median_ms: float
    p95_ms: float
    queries: int
    floor_median_ms: float = 0.0
    floor_p95_ms: float = 0.0

    @property
    def floor_multiple(self) -> float:
        """The page's p95 as a multiple of the floor's, measured in the same run: a figure that a busy machine
        moves much less than the absolute milliseconds."""
        return self.p95_ms / self.floor_p95_ms if self.floor_p95_ms else 0.0


# The most a page may ask of the database per request (issue 12).
QUERY_BUDGET = 20


class NothingToMeasure(Exception):
    pass


def default_province() -> Province:
    """The first province, by code, with a coordinator and an issued province plan."""
    with_plans = Plan.objects.filter(parent__isnull=True, status=PlanStatus.ISSUED).values("province_id")
    coordinated = User.objects.filter(role=Role.COORDINATOR).values("unit__province_id")
    province = Province.objects.filter(pk__in=with_plans).filter(pk__in=coordinated).order_by("code").first()
    if province is None:
        raise NothingToMeasure
    return province


@dataclass
class Subjects:
    """What the pages are measured on: the province's latest plan, its last period past its deadline, the
    unit with the most tasks in that plan and its people, and reports in the state each persona meets."""

    plan: Plan
    coordinator: User
    viewer: User
    focal: User
    leader: User
    task: Task | None
    period: ReportingPeriod | None
    own_report: UnitReport | None
    reviewed: UnitReport | None
    line: ReportLine | None
    result: Result | None


def pages_for(province: Province) -> list[Page]:
    """The main pages of each persona, in the order they are measured."""
    from chiso.scale.api_pages import api_and_public_pages  # it imports Page from this module

    subjects = _subjects(province)
    return [*_coordinator_pages(subjects), *_unit_pages(subjects), *_leadership_pages(subjects),
            *api_and_public_pages(subjects.plan, subjects.coordinator, subjects.focal, subjects.focal.unit_id)]


def _subjects(province: Province) -> Subjects:
    today = timezone.localdate()
    plan = (Plan.objects.filter(province=province, parent__isnull=True, status=PlanStatus.ISSUED)
            .order_by("-period_start", "-id").first())
    if plan is None:
        raise NothingToMeasure
    # The busiest unit that has both a focal point and a leader to play it (every synthetic unit has them;
    # in the demo province only some units have accounts).
    staffed = (User.objects.filter(unit__province=province, is_active=True, role=Role.FOCAL_POINT)
               .filter(unit__in=User.objects.filter(is_active=True, role=Role.LEADER).values("unit"))
               .values("unit"))
    busiest = (Assignment.objects.filter(task__plan=plan, unit__in=staffed).values("unit_id")
               .annotate(n=Count("id")).order_by("-n", "unit_id").first())
    if busiest is None:
        raise NothingToMeasure
    unit_id = busiest["unit_id"]
    people = User.objects.filter(unit__province=province, is_active=True).order_by("id")
    coordinator = people.filter(role=Role.COORDINATOR).first()
    viewer = people.filter(role=Role.VIEWER).first()
    focal = people.filter(role=Role.FOCAL_POINT, unit_id=unit_id).first()
    leader = people.filter(role=Role.LEADER, unit_id=unit_id).first()
    if not (coordinator and viewer and focal and leader):
        raise NothingToMeasure
    task = plan.tasks.order_by("order").first()
    period = (ReportingPeriod.objects.filter(plan=plan, due_date__lt=today).order_by("-due_date").first()
              or ReportingPeriod.objects.filter(plan=plan).order_by("due_date").first())
    # Reports in the state each persona meets most: the unit's latest accepted report, and a report waiting
    # for the coordinator's review; a page's queries depend on the state (an editable draft shows its forms).
    own_report = (UnitReport.objects.filter(period__plan=plan, unit_id=unit_id, status=ReportStatus.ACCEPTED)
                  .order_by("-period__due_date").first()
                  or UnitReport.objects.filter(period__plan=plan, unit_id=unit_id).order_by("-period__due_date").first())
    reviewed = (UnitReport.objects.filter(period__plan=plan, status=ReportStatus.SUBMITTED)
                .order_by("-period__due_date", "id").first()
                or UnitReport.objects.filter(period__plan=plan).order_by("-period__due_date", "id").first())
    line = own_report.lines.order_by("id").first() if own_report else None
    result = (Result.objects.provincial().filter(framework__index="PAPI", province__in=[
        province, *province.predecessors.all()]).order_by("-year", "province_id").first())
    return Subjects(plan=plan, coordinator=coordinator, viewer=viewer, focal=focal, leader=leader, task=task,
                    period=period, own_report=own_report, reviewed=reviewed, line=line, result=result)


def _page(persona: str, user: User, name: str, url_name: str, *args: object, htmx: bool = False) -> Page:
    return Page(persona, user, name, reverse(url_name, args=list(args)), htmx)


def _filtered(page: Page) -> Page:
    """A list of units filtered, searched, sorted by name and grouped (orgs.unit_lists): filtered in memory, it
    must cost what the whole list costs."""
    page.url += "?loai=xa&q=xa&sap-xep=ten&nhom=1"
    return page


def _coordinator_pages(s: Subjects) -> list[Page]:
    who, plan = s.coordinator, s.plan
    pages = [
        _page("coordinator", who, "home", "home"),
        _page("coordinator", who, "notifications", "monitoring:notification_list"),
        _page("coordinator", who, "plan_list", "plans:plan_list"),
        _page("coordinator", who, "plan_detail", "plans:plan_detail", plan.pk),
        _filtered(_page("coordinator", who, "plan_detail_cascade_communes", "plans:plan_detail", plan.pk)),
        _page("coordinator", who, "plan_appendix", "plans:plan_appendix", plan.pk),
    ]
    if s.task:
        pages.append(_page("coordinator", who, "task_detail", "plans:task_detail", plan.pk, s.task.pk))
    pages.append(_page("coordinator", who, "results_overview", "results:overview"))
    if s.result:
        pages.append(_page("coordinator", who, "result_detail", "results:result_detail", s.result.pk))
    pages += [
        _page("coordinator", who, "plan_coverage (htmx)", "results:plan_coverage", plan.pk, htmx=True),
        _page("coordinator", who, "monitoring_index", "monitoring:index"),
        _page("coordinator", who, "plan_dashboard", "monitoring:plan_dashboard", plan.pk),
        _filtered(_page("coordinator", who, "plan_dashboard_communes", "monitoring:plan_dashboard", plan.pk)),
    ]
    if s.period:
        pages.append(_page("coordinator", who, "period_detail", "monitoring:period_detail", s.period.pk))
        late = _page("coordinator", who, "period_detail_late", "monitoring:period_detail", s.period.pk)
        late.url += "?trang-thai=tre-han&sap-xep=ten&nhom=1"
        pages.append(late)
    if s.reviewed:
        pages.append(_page("coordinator", who, "report_detail", "monitoring:report_detail", s.reviewed.pk))
    if s.task:
        pages.append(_page("coordinator", who, "task_progress", "monitoring:task_progress", s.task.pk))
    pages.append(_page("coordinator", who, "emulation_ranking", "monitoring:emulation_ranking"))
    pages.append(_filtered(_page("coordinator", who, "emulation_ranking_communes", "monitoring:emulation_ranking")))
    return pages


def _unit_pages(s: Subjects) -> list[Page]:
    pages = []
    for persona, user in (("focal_point", s.focal), ("leader", s.leader)):
        pages += [
            _page(persona, user, "home", "home"),
            _page(persona, user, "notifications", "monitoring:notification_list"),
            _page(persona, user, "my_tasks", "plans:my_tasks"),
            _page(persona, user, "unit_dashboard", "monitoring:my_unit_dashboard"),
            _page(persona, user, "monitoring_index", "monitoring:index"),
            _page(persona, user, "plan_appendix", "plans:plan_appendix", s.plan.pk),
        ]
        if s.own_report:
            pages.append(_page(persona, user, "report_detail", "monitoring:report_detail", s.own_report.pk))
        if s.own_report and s.line:
            pages.append(_page(persona, user, "report_line (htmx)", "monitoring:line_row", s.own_report.pk,
                               s.line.pk, htmx=True))
        if s.line and s.line.assignment:
            pages.append(_page(persona, user, "task_progress", "monitoring:task_progress", s.line.assignment.task_id))
        pages.append(_page(persona, user, "emulation_ranking", "monitoring:emulation_ranking"))
    return pages


def _leadership_pages(s: Subjects) -> list[Page]:
    who = s.viewer
    return [
        # The leadership's home sends them on to the overview of the indices (the index pages below).
        _page("province_leader", who, "notifications", "monitoring:notification_list"),
        *(_page("province_leader", who, f"index_{index.lower()}", "monitoring:index_overview", index)
          for index in ("PAR_INDEX", "PAPI", "SIPAS")),
        _page("province_leader", who, "plan_dashboard", "monitoring:plan_dashboard", s.plan.pk),
        _page("province_leader", who, "emulation_ranking", "monitoring:emulation_ranking"),
        _page("province_leader", who, "results_overview", "results:overview"),
    ]


def logged_in_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def count_queries(page: Page, client: Client | None = None) -> tuple[int, int]:
    """(status, number of queries) of one request."""
    client = client or logged_in_client(page.user)
    headers = {"HX-Request": "true"} if page.htmx else {}
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.url, headers=headers)
    return response.status_code, len(captured)


def _timed_get(client: Client, url: str, headers: dict[str, str]) -> float:
    started = time.perf_counter()
    client.get(url, headers=headers)
    return (time.perf_counter() - started) * 1000


def _p95(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=20, method="inclusive")[18] if len(timings) > 1 else timings[0]


def measure(page: Page, runs: int, warmup: int = 2) -> Measure:
    """The page's times, interleaved with those of the floor — the password-change page of the same user, a
    page that reads nothing but the session and the user — so both meet the same load on a shared machine."""
    client = logged_in_client(page.user)
    headers = {"HX-Request": "true"} if page.htmx else {}
    floor_url = reverse("accounts:password_change")
    for _ in range(warmup):
        client.get(floor_url)
        client.get(page.url, headers=headers)
    floor_timings, timings = [], []
    for _ in range(runs):
        floor_timings.append(_timed_get(client, floor_url, {}))
        timings.append(_timed_get(client, page.url, headers))
    status, queries = count_queries(page, client)
    return Measure(page, status, statistics.median(timings), _p95(timings), queries,
                   statistics.median(floor_timings), _p95(floor_timings))


def over_query_budget(measures: list[Measure], budget: int = QUERY_BUDGET) -> list[Measure]:
    return [m for m in measures if m.queries > budget]


def markdown_table(measures: list[Measure]) -> str:
    lines = ["| persona | page | status | median ms | p95 ms | queries | floor p95 ms | p95 ÷ floor |",
             "|---|---|---|---|---|---|---|---|"]
    for m in measures:
        lines.append(f"| {m.page.persona} | {m.page.name} | {m.status} | {m.median_ms:.0f} | {m.p95_ms:.0f} "
                     f"| {m.queries} | {m.floor_p95_ms:.1f} | {m.floor_multiple:.1f}× |")
    return "\n".join(lines)
