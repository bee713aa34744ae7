"""chiso as a province runs it: PostgreSQL, migrations, gunicorn with two web processes and the production
settings, the database worker and the periodic-jobs command, each a separate process. Through HTTP a focal
point opens phường Minh Xuân's report and its leader sends it; the late-report reminders then go out from the
worker — not from a web process — exactly once per person, however often the scheduler runs.

Runs in the PostgreSQL pass of scripts/test.sh (a second database on the suite's server); skipped on SQLite."""

from __future__ import annotations

import email
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEMO_PASSWORD = "chiso-demo-2025"
DATABASE = settings.DATABASES["default"]
pytestmark = pytest.mark.skipif(DATABASE["ENGINE"] != "django.db.backends.postgresql",
                                reason="the production processes run on PostgreSQL (the suite's PostgreSQL pass)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def production(tmp_path) -> Iterator[dict[str, object]]:  # type: ignore[no-untyped-def]
    """A fresh database and the environment every process of the deployment gets (deploy/chiso.env.example)."""
    name = f"{DATABASE['NAME']}_production"
    server = {"host": DATABASE["HOST"], "port": DATABASE["PORT"] or 5432, "user": DATABASE["USER"],
              "password": DATABASE["PASSWORD"] or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{DATABASE['PASSWORD']}" if DATABASE["PASSWORD"] else ""
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("CHISO_", "DJANGO_"))},
           "CHISO_PRODUCTION": "1", "CHISO_SECRET_KEY": "production-test-" + "x" * 40,
           "CHISO_ALLOWED_HOSTS": "127.0.0.1", "CHISO_SITE_URL": "https://127.0.0.1",
           "DATABASE_URL": f"postgres://{DATABASE['USER']}{password}@{DATABASE['HOST']}:{server['port']}/{name}",
           "CHISO_DB_CONN_MAX_AGE": "0", "CHISO_VAR_DIR": str(tmp_path), "CHISO_MEDIA_ROOT": str(tmp_path / "media"),
           "CHISO_STATIC_ROOT": str(tmp_path / "static"),
           "CHISO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
           "CHISO_EMAIL_FILE_PATH": str(tmp_path / "mail"),
           # Were a web process to start the reminder thread, it would run at once: the test would see it.
           "CHISO_SCHEDULER_FIRST_DELAY_SECONDS": "0"}
    db = psycopg.connect(dbname=name, autocommit=True, **server)
    try:
        yield {"env": env, "db": db, "mail": tmp_path / "mail", "tmp": tmp_path}
    finally:
        db.close()
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _chiso(env: dict[str, str], *args: str) -> str:
    # `python -m chiso` from the work tree: the virtualenv's `chiso` script may belong to another checkout.
    done = subprocess.run([sys.executable, "-m", "chiso", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


class Browser:
    """A visitor behind the TLS proxy: nginx's X-Forwarded-Proto header, cookies kept by hand."""

    def __init__(self, port: int) -> None:
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> http.client.HTTPResponse:
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https",
                   "Referer": f"https://127.0.0.1:{self.port}{path}",
                   "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form}
            body = "&".join(f"{k}={v}" for k, v in form.items())
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.text = response.read().decode()  # type: ignore[attr-defined]
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";")[0]
        connection.close()
        return response

    def log_in(self, username: str) -> None:
        self.request("GET", "/tai-khoan/dang-nhap/")
        response = self.request("POST", "/tai-khoan/dang-nhap/", {"username": username, "password": DEMO_PASSWORD})
        assert response.status == 302 and "sessionid" in self.cookies, response.text[:500]


def _wait_for(check, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise AssertionError("timed out")


def _mails(folder: Path) -> list[email.message.Message]:
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        for chunk in path.read_text(encoding="utf-8").split("-" * 79):
            if chunk.strip():
                found.append(email.message_from_string(chunk.strip()))
    return found


def _one(db: psycopg.Connection, sql: str, *params: object) -> object:
    return db.execute(sql, params).fetchone()[0]


def test_two_web_processes_a_worker_and_the_scheduler_send_each_reminder_once(production):
    env, db = production["env"], production["db"]
    _deploy(env)
    # The third quarter's deadline was yesterday: every unit that has not sent its report is late.
    q3 = _one(db, "SELECT id FROM monitoring_reportingperiod WHERE label = 'Quý III/2025'")
    db.execute("UPDATE monitoring_reportingperiod SET due_date = CURRENT_DATE - 1 WHERE id = %s", (q3,))

    port = _free_port()
    web = _start_web(production, port)
    worker = None
    try:
        _minh_xuan_sends_its_report(port, db, q3)
        health = Browser(port).request("GET", "/healthz")
        assert health.status == 503 and '"worker": "error"' in health.text  # no worker has run yet

        # Two schedulers at once (two timers, two hosts): each job is queued once, and nothing runs yet.
        for _ in range(2):
            _chiso(env, "run_periodic")
        time.sleep(3)
        assert _one(db, "SELECT COUNT(*) FROM monitoring_notification") == 0  # the web processes sent nothing
        queued = _one(db, "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE task_path LIKE %s",
                      "%send_reminders_task")
        assert queued == 1

        worker = _start_worker(production)
        _wait_for(lambda: _one(db, "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status <> 'SUCCESSFUL'"
                                   ) == 0 and _one(db, "SELECT COUNT(*) FROM monitoring_notification") > 0, 120)
        _wait_for(lambda: _one(db, "SELECT COUNT(*) FROM monitoring_notification WHERE email_state IN "
                                   "('pending', 'sending')") == 0, 60)
        ran_by = db.execute("SELECT DISTINCT jsonb_array_elements_text(worker_ids) FROM django_tasks_database_dbtaskresult").fetchall()
        assert ran_by == [("chiso-worker-1",)]
        assert Browser(port).request("GET", "/healthz").status == 200

        # Again and again: the scheduler queues nothing new within the interval, a manual run records nothing.
        _chiso(env, "run_periodic")
        _chiso(env, "send_reminders")
        time.sleep(2)
        _assert_each_late_unit_was_mailed_once(production["mail"], db)
    finally:
        for process in (worker, web):
            if process is not None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=60)


def _deploy(env: dict[str, str]) -> None:
    """What an operator runs on a fresh database: migrations, the demo province, the static files."""
    _chiso(env, "migrate", "--noinput", "-v0")
    _chiso(env, "load_demo")
    _chiso(env, "collectstatic", "--noinput", "-v0")


def _minh_xuan_sends_its_report(port: int, db: psycopg.Connection, period: int) -> None:
    """Through HTTP: the focal point opens the unit's report, its leader sends it (after the completeness check)."""
    focal, leader = Browser(port), Browser(port)
    focal.log_in("daumoi.minhxuan")
    opened = focal.request("POST", f"/theo-doi/ky-bao-cao/{period}/bao-cao-cua-don-vi/", {})
    assert opened.status == 302, opened.text[:500]
    report = int(re.search(r"/bao-cao/(\d+)/", opened.getheader("Location")).group(1))
    leader.log_in("lanhdao.minhxuan")
    version = _one(db, "SELECT lock_version FROM monitoring_unitreport WHERE id = %s", report)
    sent = leader.request("POST", f"/theo-doi/bao-cao/{report}/gui/", {"lock_version": str(version),
                                                                       "confirm_incomplete": "1"})
    assert sent.status == 302, sent.text[:500]
    assert _one(db, "SELECT status FROM monitoring_unitreport WHERE id = %s", report) == "submitted"


def _start_worker(production: dict[str, object]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "chiso", "db_worker", "--no-reload", "--interval", "0.5",
                             "--worker-id", "chiso-worker-1", "--no-startup-delay"],
                            cwd=ROOT, env=production["env"], stdout=subprocess.DEVNULL,
                            stderr=(production["tmp"] / "worker.log").open("w"))


def _assert_each_late_unit_was_mailed_once(mail: Path, db: psycopg.Connection) -> None:
    messages = _mails(mail)
    late = [m for m in messages if _is_late_reminder(m)]
    assert late, [m["Subject"] for m in messages]
    per_person = Counter((m["To"], m["Subject"]) for m in messages)
    assert max(per_person.values()) == 1  # nobody got the same mail twice
    late_to = {m["To"] for m in late}
    assert "daumoi.hagiang1@tuyenquang.gov.vn" in late_to  # its report is still a draft
    assert not any("minhxuan" in address for address in late_to)  # it has sent its report
    assert "Đơn vị chưa gửi báo cáo Quý III/2025" in "".join(p.read_text(encoding="utf-8") for p in mail.iterdir())
    assert _one(db, "SELECT COUNT(*) FROM monitoring_notification WHERE email_state = 'sent'") == len(messages)


def _start_web(production: dict[str, object], port: int, **extra_env: str) -> subprocess.Popen[bytes]:
    web = subprocess.Popen([str(BIN / "gunicorn"), "--config", str(ROOT / "deploy" / "gunicorn.conf.py"),
                            "--bind", f"127.0.0.1:{port}", "--workers", "2", "chiso.wsgi:application"],
                           cwd=ROOT, env={**production["env"], **extra_env}, stdout=subprocess.DEVNULL,
                           stderr=(production["tmp"] / "web.log").open("w"))
    _wait_for(lambda: _can_connect(port) and len(_children(web.pid)) == 2)
    return web


def test_every_web_process_shows_a_change_made_elsewhere_and_counts_one_rate_limit(production):
    """The cache is shared by the processes (settings.CACHES): a plan changed by another process (as the worker
    or a command would) shows at once on the public page whichever web process answers, and a token's requests
    are counted once across the web processes, not once per process."""
    env, db = production["env"], production["db"]
    _deploy(env)
    plan = _one(db, "SELECT id FROM plans_plan WHERE parent_id IS NULL AND status = 'issued' ORDER BY id LIMIT 1")
    token = _chiso(env, "shell", "-c", (
        "from chiso.accounts.models import User; from chiso.api.tokens import create_personal_token;"
        f"from chiso.plans.models import Plan; Plan.objects.filter(pk={plan}).update(is_public=True);"
        "print(create_personal_token(User.objects.get(username='dieuphoi'), 'kiểm thử', 30)[1])")).split()[-1]
    port = _free_port()
    web = _start_web(production, port, CHISO_API_RATE_PER_MINUTE="6")
    try:
        public = f"/cong-khai/ke-hoach/{plan}/"
        before = _at_once(lambda: Browser(port).request("GET", public), 8)  # both processes cache the page
        assert [page.status for page in before] == [200] * 8
        assert not any("Tiêu đề đổi bởi tiến trình khác" in page.text for page in before)
        _chiso(env, "shell", "-c", (  # a save through the ORM in another process: its signals bump the version
            f"from chiso.plans.models import Plan; p = Plan.objects.get(pk={plan});"
            "p.title = 'Tiêu đề đổi bởi tiến trình khác'; p.save()"))
        after = _at_once(lambda: Browser(port).request("GET", public), 8)
        assert [page.status for page in after] == [200] * 8
        assert all("Tiêu đề đổi bởi tiến trình khác" in page.text for page in after)

        if time.time() % 60 > 40:  # the ten requests below must fall in one minute window
            time.sleep(61 - time.time() % 60)
        statuses = _at_once(lambda: _api_status(port, token), 10)
        assert sorted(statuses) == [200] * 6 + [429] * 4, statuses  # 6 a minute in all, not 6 per process
    finally:
        web.send_signal(signal.SIGTERM)
        web.wait(timeout=60)


def _at_once(call, times: int) -> list:  # type: ignore[no-untyped-def]
    """`times` calls at the same moment, so that both web processes answer some of them."""
    with ThreadPoolExecutor(max_workers=times) as pool:
        return list(pool.map(lambda _: call(), range(times)))


def _api_status(port: int, token: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", "/api/v1/plans", headers={"Host": f"127.0.0.1:{port}", "X-Forwarded-Proto": "https",
                                                        "Authorization": f"Bearer {token}"})
    status = connection.getresponse().status
    connection.close()
    return status

def _can_connect(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _children(pid: int) -> list[int]:
    found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False)
    return [int(p) for p in found.stdout.split()]


def _is_late_reminder(message: email.message.Message) -> bool:
    subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
    message.replace_header("Subject", subject)
    return "quá hạn" in subject.lower()


