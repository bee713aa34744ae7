"""Locust load test of chiso through a real server: four personas (coordinator, unit focal point, unit
leader, province leader as viewer) log in through the login form and read their main pages with 1–5 s of
thought between requests; a fifth, the report editor, is a focal point saving the lines of its unit's draft
report — several at once on the same lines, so lost races (409) are part of the load, as in real use. The
pages are the benchmark's (chiso.scale.benchmark.pages_for), read once from the database the server uses, so
the load test and the in-process benchmark measure the same pages.

Run by scripts/loadtest/run.sh (gunicorn, loopback only); `locust -f chiso/scale/loadtest.py --help` for
the rest. CHISO_LOADTEST_PROVINCES (comma-separated codes) limits the provinces; by default every province
the benchmark can measure. CHISO_LOADTEST_PASSWORD is the synthetic accounts' password.

Two phases are reported apart (scripts/loadtest/run.sh): the arrivals, while people log in at a few a second
(each login hashes a password on purpose slowly), written to CHISO_LOADTEST_ARRIVALS when the last person's
login has been answered; then the steady state, every person signed in and working, measured alone for
CHISO_LOADTEST_STEADY_SECONDS. A day's logins are spread over the morning; a steady state of 200 people at work
is what a province sees. The switch waits for the last login's answer, not for the last person to be started:
logins queued behind one another at the end of the arrivals took seconds each, and counting them and the
pages waiting behind them in the steady state measured the arrivals' queue a second time."""

from __future__ import annotations

import csv
import os
import random
import re
from collections import defaultdict

import django
import gevent
from locust import HttpUser, between, events, task
from locust.env import Environment

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso.settings")
django.setup()

from chiso.scale.benchmark import NothingToMeasure, Page, pages_for  # noqa: E402
from chiso.scale.cpu_use import write_snapshot  # noqa: E402

PASSWORD = os.environ.get("CHISO_LOADTEST_PASSWORD", "chiso-synthetic")
LOGIN_URL = "/tai-khoan/dang-nhap/"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LOCK_VERSION_FIELD = re.compile(r'name="lock_version" value="(\d+)"')


def _pages_by_persona() -> dict[str, list[list[Page]]]:
    """For each persona, one list of pages per province (a simulated person stays in one province)."""
    from chiso.orgs.models import Province

    wanted = [c for c in os.environ.get("CHISO_LOADTEST_PROVINCES", "").split(",") if c]
    provinces = Province.objects.filter(code__in=wanted) if wanted else Province.objects.all()
    found: dict[str, list[list[Page]]] = defaultdict(list)
    for province in provinces.order_by("code"):
        try:
            pages = pages_for(province)
        except NothingToMeasure:
            continue
        by_persona: dict[str, list[Page]] = defaultdict(list)
        for page in pages:
            by_persona[page.persona].append(page)
        for persona, own in by_persona.items():
            found[persona].append(own)
    return found


def _draft_lines_by_focal_point() -> dict[str, list[str]]:
    """For each focal point whose unit has a draft (or returned) report, the edit addresses of its lines."""
    from chiso.monitoring.models import EDITABLE_STATUSES, ReportLine

    focal_points = {own[0].user for own in PAGES.get("focal_point", [])}
    found: dict[str, list[str]] = defaultdict(list)
    for user in focal_points:
        if user.unit_id is None:
            continue
        lines = (ReportLine.objects.filter(report__unit_id=user.unit_id, report__status__in=EDITABLE_STATUSES)
                 .order_by("-report__period__due_date", "id").values_list("report_id", "id")[:20])
        found[user.username] = [f"/theo-doi/bao-cao/{report}/dong/{line}/sua/" for report, line in lines]
    return {username: urls for username, urls in found.items() if urls}


PAGES = _pages_by_persona()
DRAFT_LINES = _draft_lines_by_focal_point()


_started_cpu: list[float] = []


def _own_cpu() -> float:
    own = os.times()
    return own.user + own.system


@events.init.add_listener
def _remember_the_start(**_kwargs: object) -> None:
    _started_cpu.append(_own_cpu())  # locust's start (Django, reading the pages) is no request's work


_arrived: list[int] = [0]


def _one_more_arrived(environment: Environment) -> None:
    """Counted whatever the outcome (a failed login is in the arrivals' table; a person with nothing to do
    stops), so the phases always switch."""
    _arrived[0] += 1
    if environment.parsed_options is not None and _arrived[0] == environment.parsed_options.num_users:
        _everyone_signed_in(environment)


def _everyone_signed_in(environment: Environment) -> None:
    """Write what the arrival phase measured, empty the statistics and measure the steady state alone for
    CHISO_LOADTEST_STEADY_SECONDS (then stop; without it, until locust's own time limit)."""
    cpu_target = os.environ.get("CHISO_LOADTEST_CPU_AT_ARRIVAL")
    if cpu_target:
        write_snapshot(cpu_target, locust=_own_cpu(), locust_started=_started_cpu[0] if _started_cpu else 0.0)
    target = os.environ.get("CHISO_LOADTEST_ARRIVALS")
    stats = environment.stats
    if target:
        with open(target, "w", newline="", encoding="utf-8") as out:
            rows = csv.writer(out)
            rows.writerow(["Name", "Request Count", "Failure Count", "50%", "95%", "99%"])
            for entry in [*stats.entries.values(), stats.total]:
                rows.writerow([entry.name, entry.num_requests, entry.num_failures,
                               *(round(entry.get_response_time_percentile(p)) for p in (0.5, 0.95, 0.99))])
    stats.reset_all()
    steady = float(os.environ.get("CHISO_LOADTEST_STEADY_SECONDS", "0"))
    if steady and environment.runner is not None:
        gevent.spawn_later(steady, environment.runner.quit)


class Persona(HttpUser):
    """Logs in as the persona's account of a random province and reads its pages at random."""

    abstract = True
    persona = ""
    wait_time = between(1, 5)

    def on_start(self) -> None:
        try:
            self.arrive()
        finally:
            _one_more_arrived(self.environment)

    def arrive(self) -> None:
        self.pages = random.choice(PAGES[self.persona])
        self.log_in()

    def log_in(self) -> None:
        # Production settings: the server believes the (absent) proxy's X-Forwarded-Proto, and its cookies are
        # marked Secure; loopback is plain HTTP, so the cookie jar is told to send them anyway.
        self.client.headers.update({"X-Forwarded-Proto": "https", "Referer": f"https://{self._host()}/"})
        form = self.client.get(LOGIN_URL, name="login (form)")
        self._unsecure_cookies()
        token = CSRF_FIELD.search(form.text)
        with self.client.post(LOGIN_URL, name="login", allow_redirects=False, catch_response=True, data={
            "username": self.pages[0].user.username, "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1) if token else "",
        }) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")
        self._unsecure_cookies()

    def _host(self) -> str:
        return (self.host or "").split("://", 1)[-1].rstrip("/")

    def _unsecure_cookies(self) -> None:
        for cookie in self.client.cookies:
            cookie.secure = False

    @task
    def read_a_page(self) -> None:
        page = random.choice(self.pages)
        headers = {"HX-Request": "true"} if page.htmx else {}
        with self.client.get(page.url, headers=headers, name=f"{self.persona} {page.name}",
                             allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{page.url} answered {response.status_code}")


class Coordinator(Persona):
    persona = "coordinator"
    weight = 1


class FocalPoint(Persona):
    persona = "focal_point"
    weight = 4


class Leader(Persona):
    persona = "leader"
    weight = 2


class Viewer(Persona):
    persona = "province_leader"
    weight = 1


class ReportEditor(Persona):
    """A focal point saving its unit's draft report lines: reads the line's form (with the version it shows)
    and saves a new progress. Another editor saving the same line first makes this save a 409 with a message,
    which is the answer chiso owes and not a failure; anything else but 200 is."""

    persona = "focal_point"
    weight = 2

    def arrive(self) -> None:
        editable = [own for own in PAGES[self.persona] if own[0].user.username in DRAFT_LINES]
        if not editable:
            raise RuntimeError("No focal point of these provinces has a draft report to edit.")
        self.pages = random.choice(editable)
        self.lines = DRAFT_LINES[self.pages[0].user.username]
        self.log_in()

    def save_a_line(self) -> None:
        url = random.choice(self.lines)
        form = self.client.get(url, headers={"HX-Request": "true"}, name="report line form (htmx)")
        self._unsecure_cookies()  # the form's response may set the CSRF cookie again, marked Secure
        token, version = CSRF_FIELD.search(form.text), LOCK_VERSION_FIELD.search(form.text)
        if form.status_code != 200 or not (token and version):
            return  # counted by locust as the GET's own status
        progress = random.randint(1, 99)
        with self.client.post(url, headers={"HX-Request": "true"}, name="report line save (htmx)",
                              catch_response=True, data={
                                  "status": "in_progress", "progress": str(progress), "reason": "",
                                  "work_done": f"Đã triển khai {progress}% khối lượng", "indicator_value": "",
                                  "completed_on": "", "lock_version": version.group(1),
                                  "csrfmiddlewaretoken": token.group(1)}) as response:
            if response.status_code == 409 and "người khác" in response.text:
                response.success()
            elif response.status_code != 200:
                response.failure(f"{url} answered {response.status_code}")

    tasks = [save_a_line]  # only this: the reading personas' task is not inherited
