"""Start-up checks and the SQLite settings that keep concurrent writes from turning into error pages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from chiso.core.middleware import RetryOnDatabaseLock

ROOT = Path(__file__).resolve().parent.parent


def _start_in_production(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CHISO_") and k != "DATABASE_URL"}
    return subprocess.run([sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']="
                           "'chiso.settings'; django.setup()"],
                          env={**clean, "CHISO_PRODUCTION": "1", **env}, cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_production_without_its_settings_names_every_missing_one():
    started = _start_in_production()
    assert started.returncode != 0
    assert "ImproperlyConfigured" in started.stderr and "KeyError" not in started.stderr
    assert "CHISO_SECRET_KEY" in started.stderr and "CHISO_ALLOWED_HOSTS" in started.stderr


def test_production_with_its_settings_starts():
    started = _start_in_production(CHISO_SECRET_KEY="x" * 50, CHISO_ALLOWED_HOSTS="chiso.example")
    assert started.returncode == 0, started.stderr


def test_sqlite_writes_take_the_lock_when_they_begin_and_wait_for_it(settings):
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings")
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


def test_a_sqlite_file_opened_with_the_settings_is_in_wal_mode(tmp_path):
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='chiso.settings'; django.setup();"
            "from django.db import connection; c = connection.cursor(); c.execute('PRAGMA journal_mode');"
            "print(c.fetchone()[0]); c.execute('PRAGMA busy_timeout'); print(c.fetchone()[0])")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"CHISO_VAR_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.stdout.split() == ["wal", "20000"], out.stderr


def _view_locked_times(times: int) -> tuple[list[int], object]:
    calls: list[int] = []

    def view(request: HttpRequest) -> HttpResponse:
        calls.append(1)
        if len(calls) <= times:
            raise OperationalError("database is locked")
        return HttpResponse("saved")
    return calls, view


def test_a_write_that_meets_a_lock_is_run_again_and_succeeds(monkeypatch):
    middleware = RetryOnDatabaseLock(lambda request: HttpResponse())
    middleware.enabled = True
    monkeypatch.setattr("chiso.core.middleware.time.sleep", lambda seconds: None)
    monkeypatch.setattr(connection, "in_atomic_block", False)
    calls, view = _view_locked_times(2)
    response = middleware.process_view(RequestFactory().post("/"), view, (), {})
    assert response.content == b"saved" and len(calls) == 3


def test_a_lock_that_lasts_is_raised_after_the_last_attempt_and_reads_are_not_retried(monkeypatch):
    middleware = RetryOnDatabaseLock(lambda request: HttpResponse())
    middleware.enabled = True
    monkeypatch.setattr("chiso.core.middleware.time.sleep", lambda seconds: None)
    monkeypatch.setattr(connection, "in_atomic_block", False)
    calls, view = _view_locked_times(99)
    with pytest.raises(OperationalError):
        middleware.process_view(RequestFactory().post("/"), view, (), {})
    assert len(calls) == RetryOnDatabaseLock.ATTEMPTS
    assert middleware.process_view(RequestFactory().get("/"), view, (), {}) is None


@pytest.mark.django_db
def test_postgresql_plans_a_repeated_statement_once_per_connection():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's prepared statements")
    from chiso.accounts.models import User
    from chiso.ops.database import PREPARED_STATEMENTS_KEPT

    for _ in range(6):  # psycopg prepares on the fifth run (settings.DATABASES)
        list(User.objects.filter(username="không-có-ai").values_list("id", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('"accounts_user"."username" = $1' in statement for statement in prepared), prepared
    assert connection.connection.prepared_max == PREPARED_STATEMENTS_KEPT


def test_prepared_statements_can_be_turned_off_for_a_pooler():
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='chiso.settings'; django.setup();"
            "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS', {}))")
    base = {**os.environ, "DATABASE_URL": "postgres://u@127.0.0.1:1/x"}
    on, off = (subprocess.run([sys.executable, "-c", code], env=base | extra, cwd=ROOT, capture_output=True,
                              text=True, timeout=120) for extra in ({}, {"CHISO_DB_PREPARED_STATEMENTS": "0"}))
    assert "'prepare_threshold': 5" in on.stdout and "server_side_binding" in on.stdout, on.stderr
    assert "prepare_threshold" not in off.stdout, off.stderr
