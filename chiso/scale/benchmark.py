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
from chiso.monitoring.models import ReportingPeriod, ReportStatus, UnitReport
from chiso.orgs.models import Province
from chiso.plans.models import Assignment, Plan, PlanStatus
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


def pages_for(province: Province) -> list[Page]:
    """The main pages of each persona, on the province's latest plan, its last period past its deadline and
    the unit with the most tasks in that plan."""
    today = timezone.localdate()
    plan = (Plan.objects.filter(province=province, parent__isnull=True, status=PlanStatus.ISSUED)
            .order_by("-period_start", "-id").first())
    if plan is None:
        raise NothingToMeasure
    busiest = (Assignment.objects.filter(task__plan=plan).values("unit_id").annotate(n=Count("id"))
               .order_by("-n", "unit_id").first())
    unit_id = busiest["unit_id"] if busiest else None
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

    pages = []

    def add(persona: str, user: User, name: str, url: str, htmx: bool = False) -> None:
        pages.append(Page(persona, user, name, url, htmx))

    add("coordinator", coordinator, "home", reverse("home"))
    add("coordinator", coordinator, "notifications", reverse("monitoring:notification_list"))
    add("coordinator", coordinator, "plan_list", reverse("plans:plan_list"))
    add("coordinator", coordinator, "plan_detail", reverse("plans:plan_detail", args=[plan.pk]))
    add("coordinator", coordinator, "plan_appendix", reverse("plans:plan_appendix", args=[plan.pk]))
    if task:
        add("coordinator", coordinator, "task_detail", reverse("plans:task_detail", args=[plan.pk, task.pk]))
    add("coordinator", coordinator, "results_overview", reverse("results:overview"))
    if result:
        add("coordinator", coordinator, "result_detail", reverse("results:result_detail", args=[result.pk]))
    add("coordinator", coordinator, "plan_coverage (htmx)", reverse("results:plan_coverage", args=[plan.pk]), True)
    add("coordinator", coordinator, "monitoring_index", reverse("monitoring:index"))
    add("coordinator", coordinator, "plan_dashboard", reverse("monitoring:plan_dashboard", args=[plan.pk]))
    if period:
        add("coordinator", coordinator, "period_detail", reverse("monitoring:period_detail", args=[period.pk]))
        add("coordinator", coordinator, "period_detail_late",
            reverse("monitoring:period_detail", args=[period.pk]) + "?trang-thai=tre-han&sap-xep=ten&nhom=1")
    if reviewed:
        add("coordinator", coordinator, "report_detail", reverse("monitoring:report_detail", args=[reviewed.pk]))
    if task:
        add("coordinator", coordinator, "task_progress", reverse("monitoring:task_progress", args=[task.pk]))
    add("coordinator", coordinator, "emulation_ranking", reverse("monitoring:emulation_ranking"))

    for persona, user in (("focal_point", focal), ("leader", leader)):
        add(persona, user, "home", reverse("home"))
        add(persona, user, "notifications", reverse("monitoring:notification_list"))
        add(persona, user, "my_tasks", reverse("plans:my_tasks"))
        add(persona, user, "unit_dashboard", reverse("monitoring:my_unit_dashboard"))
        add(persona, user, "monitoring_index", reverse("monitoring:index"))
        add(persona, user, "plan_appendix", reverse("plans:plan_appendix", args=[plan.pk]))
        if own_report:
            add(persona, user, "report_detail", reverse("monitoring:report_detail", args=[own_report.pk]))
        if own_report and line:
            add(persona, user, "report_line (htmx)",
                reverse("monitoring:line_row", args=[own_report.pk, line.pk]), True)
        if line:
            add(persona, user, "task_progress", reverse("monitoring:task_progress", args=[line.assignment.task_id]))
        add(persona, user, "emulation_ranking", reverse("monitoring:emulation_ranking"))

    # The leadership's home sends them to the overview of the indices (index_par_index below).
    add("province_leader", viewer, "notifications", reverse("monitoring:notification_list"))
    for index in ("PAR_INDEX", "PAPI", "SIPAS"):
        add("province_leader", viewer, f"index_{index.lower()}", reverse("monitoring:index_overview", args=[index]))
    add("province_leader", viewer, "plan_dashboard", reverse("monitoring:plan_dashboard", args=[plan.pk]))
    add("province_leader", viewer, "emulation_ranking", reverse("monitoring:emulation_ranking"))
    add("province_leader", viewer, "results_overview", reverse("results:overview"))
    return pages


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


def measure(page: Page, runs: int, warmup: int = 2) -> Measure:
    client = logged_in_client(page.user)
    headers = {"HX-Request": "true"} if page.htmx else {}
    for _ in range(warmup):
        client.get(page.url, headers=headers)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(page.url, headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
    status, queries = count_queries(page, client)
    p95 = statistics.quantiles(timings, n=20, method="inclusive")[18] if len(timings) > 1 else timings[0]
    return Measure(page, status, statistics.median(timings), p95, queries)


def markdown_table(measures: list[Measure]) -> str:
    lines = ["| persona | page | status | median ms | p95 ms | queries |", "|---|---|---|---|---|---|"]
    for m in measures:
        lines.append(f"| {m.page.persona} | {m.page.name} | {m.status} | {m.median_ms:.0f} | {m.p95_ms:.0f} "
                     f"| {m.queries} |")
    return "\n".join(lines)
