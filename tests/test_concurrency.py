"""Concurrent use through a real threaded server on loopback, on SQLite (the embedded default, in WAL mode)
and on PostgreSQL: 20 people submitting the same report at once, 20 editing the same report line, 50
sign-ins while 20 others read dashboards. No request may fail with a server error; exactly one submission
and one line edit win; every lost race is a 409 with a message.

The server runs in its own process (runserver: one thread per request) on its own database, made by
migrate and the demo loader, so the threads of this test really race each other. PostgreSQL runs when
DATABASE_URL points to one (the suite's PostgreSQL run) or CHISO_CONCURRENCY_POSTGRES_URL is set."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from chiso.demo.loader import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parent.parent
STALE_WORDS = ("vừa thay đổi", "vừa được người khác cập nhật")
SETUP = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from chiso.demo.loader import load_demo
load_demo()
from chiso.accounts.models import User
from chiso.monitoring.periods import generate_periods
from chiso.monitoring.reports.services import open_report
from chiso.plans.models import Plan
plan = Plan.objects.get(province__code="tuyen-quang", parent__isnull=True, status="issued")
generate_periods(plan)
period = plan.reporting_periods.get(label="Quý III/2025")
focal = User.objects.get(username="daumoi.minhxuan")
report = open_report(period, focal.unit, focal)
line = report.lines.order_by("pk").first()
print(json.dumps({"plan": plan.pk, "report": report.pk, "report_version": report.lock_version,
                  "line": line.pk, "line_version": line.lock_version}))
"""


class Session:
    """One browser: its own cookies, the CSRF token Django gave it, form posts like a page's."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def request(self, path: str, data: dict[str, object] | None = None, htmx: bool = False) -> tuple[int, str]:
        body = None
        headers = {"HX-Request": "true"} if htmx else {}
        if data is not None:
            token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        try:
            with self.opener.open(urllib.request.Request(self.base + path, data=body, headers=headers),
                                  timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def login(self, username: str) -> int:
        self.request("/tai-khoan/dang-nhap/")
        return self.request("/tai-khoan/dang-nhap/", {"username": username, "password": DEMO_PASSWORD})[0]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postgres_url() -> str | None:
    explicit = os.environ.get("CHISO_CONCURRENCY_POSTGRES_URL")
    if explicit:
        return explicit
    url = os.environ.get("DATABASE_URL", "")
    return url.rsplit("/", 1)[0] + "/" + url.rsplit("/", 1)[1] + "_concurrency" if url.startswith("postgres") else None


def _fresh_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request, tmp_path) -> Iterator[tuple[str, dict[str, int]]]:  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DJANGO_SETTINGS_MODULE": "chiso.settings", "CHISO_VAR_DIR": str(tmp_path), "CHISO_SCHEDULER": "off",
            "CHISO_DB_CONN_MAX_AGE": "0", "CHISO_MEDIA_ROOT": str(tmp_path / "media")}
    if request.param == "postgresql":
        url = _postgres_url()
        if not url:
            pytest.skip("no PostgreSQL configured (DATABASE_URL or CHISO_CONCURRENCY_POSTGRES_URL)")
        _fresh_postgres(url)
        env["DATABASE_URL"] = url
    made = subprocess.run([sys.executable, "-c", SETUP], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=900, check=False)
    assert made.returncode == 0, made.stderr[-3000:]
    ids = json.loads(made.stdout.strip().splitlines()[-1])
    port = _free_port()
    process = subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                               env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/tai-khoan/dang-nhap/", timeout=5)
                break
            except OSError:
                time.sleep(0.2)
        yield base, ids
    finally:
        process.terminate()
        process.wait(timeout=30)


def _race(sessions: list[Session], path: str, data: dict[str, object], htmx: bool = False) -> list[tuple[int, str]]:
    """Everyone waits at the barrier, then all post at once."""
    barrier = threading.Barrier(len(sessions))

    def post(session: Session) -> tuple[int, str]:
        barrier.wait()
        return session.request(path, data, htmx=htmx)

    with ThreadPoolExecutor(len(sessions)) as pool:
        return list(pool.map(post, sessions))


def _logged_in(base: str, username: str, count: int) -> list[Session]:
    sessions = [Session(base) for _ in range(count)]
    assert all(s.login(username) == 302 for s in sessions)
    return sessions


def _one_winner_and_409s(answers: list[tuple[int, str]], won: int) -> None:
    statuses = [status for status, _ in answers]
    assert max(statuses) < 500, statuses
    assert statuses.count(won) == 1, statuses
    lost = [body for status, body in answers if status != won]
    assert all(status == 409 for status in statuses if status != won), statuses
    assert all(any(words in body for words in STALE_WORDS) for body in lost)


def test_concurrent_submissions_edits_and_logins_never_fail_and_exactly_one_wins(server):
    base, ids = server
    line_path = f"/theo-doi/bao-cao/{ids['report']}/dong/{ids['line']}/sua/"
    line_edit = {"status": "in_progress", "progress": "50", "reason": "", "work_done": "Đang làm",
                 "indicator_value": "", "completed_on": "", "lock_version": ids["line_version"]}
    edits = _race(_logged_in(base, "daumoi.minhxuan", 20), line_path, line_edit, htmx=True)
    _one_winner_and_409s(edits, won=200)

    leader = Session(base)
    leader.login("lanhdao.minhxuan")
    status, page = leader.request(f"/theo-doi/bao-cao/{ids['report']}/")
    version = re.search(r'name="lock_version" value="(\d+)"', page).group(1)
    submissions = _race(_logged_in(base, "lanhdao.minhxuan", 20), f"/theo-doi/bao-cao/{ids['report']}/gui/",
                        {"lock_version": version, "confirm_incomplete": "1"})
    _one_winner_and_409s(submissions, won=302)
    assert leader.request(f"/theo-doi/bao-cao/{ids['report']}/lan-gui/1/")[0] == 200
    assert leader.request(f"/theo-doi/bao-cao/{ids['report']}/lan-gui/2/")[0] == 404  # one submission, not two

    readers = _logged_in(base, "dieuphoi", 20)
    stop = threading.Event()
    read_statuses: list[int] = []

    def read(session: Session) -> None:
        while not stop.is_set():
            read_statuses.append(session.request(f"/theo-doi/ke-hoach/{ids['plan']}/")[0])

    threads = [threading.Thread(target=read, args=(s,)) for s in readers]
    for thread in threads:
        thread.start()
    try:
        with ThreadPoolExecutor(50) as pool:
            logins = list(pool.map(lambda _: Session(base).login("lanhdaotinh"), range(50)))
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert logins == [302] * 50
    assert read_statuses and set(read_statuses) == {200}, set(read_statuses)
