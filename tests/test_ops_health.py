"""/healthz: no login, a JSON body with one ok/error per check and nothing else, 200 when all pass and 503
when the database is down or the worker's heartbeat is stale or missing (with the database task backend)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from chiso.ops.models import Heartbeat
from chiso.ops.tasks import WORKER, worker_heartbeat_task

ROOT = Path(__file__).resolve().parent.parent
QUEUED = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
CHECKS = {"database", "migrations", "worker", "media", "disk"}


@pytest.fixture
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.django_db
def test_healthz_answers_anonymous_callers_with_every_check_ok_and_nothing_else(media, django_assert_max_num_queries):
    # Queries: SELECT 1, the applied migrations (no heartbeat with in-process jobs).
    with django_assert_max_num_queries(3):
        response = Client().get("/healthz")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = response.json()
    assert body == {"status": "ok", "checks": {name: "ok" for name in CHECKS}}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_ok_with_a_recent_worker_heartbeat(media, settings):
    settings.TASKS = QUEUED
    worker_heartbeat_task.call()  # what the worker does when it runs the queued heartbeat job
    response = Client().get("/healthz")
    assert response.status_code == 200, response.json()


@pytest.mark.django_db
def test_healthz_is_503_when_the_worker_heartbeat_is_stale(media, settings):
    settings.TASKS = QUEUED
    stale = timezone.now() - dt.timedelta(seconds=settings.CHISO_HEARTBEAT_MAX_AGE_SECONDS + 5)
    Heartbeat.objects.update_or_create(name=WORKER, defaults={"beat_at": stale})
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "checks": {**{name: "ok" for name in CHECKS}, "worker": "error"}}


@pytest.mark.django_db
def test_healthz_is_503_when_no_worker_ever_ran(media, settings):
    settings.TASKS = QUEUED
    Heartbeat.objects.all().delete()
    assert Client().get("/healthz").status_code == 503


@pytest.mark.django_db
def test_healthz_is_503_when_media_is_not_writable(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "file-not-folder"
    settings.MEDIA_ROOT.write_text("x")
    response = Client().get("/healthz")
    assert response.status_code == 503 and response.json()["checks"]["media"] == "error"


@pytest.mark.django_db
def test_healthz_is_503_when_free_disk_is_below_the_floor(media, settings):
    settings.CHISO_MIN_FREE_DISK_MB = 10**12
    response = Client().get("/healthz")
    assert response.status_code == 503 and response.json()["checks"]["disk"] == "error"


def test_healthz_is_503_and_says_nothing_more_when_the_database_is_down(tmp_path):
    """A real unreachable PostgreSQL (nothing listens on port 1), in a separate process with its own settings."""
    script = ("import django, json; django.setup(); from django.test import Client; "
              "r = Client().get('/healthz'); print(r.status_code); print(r.content.decode())")
    env = {**os.environ, "DATABASE_URL": "postgres://chiso@127.0.0.1:1/chiso", "CHISO_ALLOWED_HOSTS": "testserver",
           "CHISO_MEDIA_ROOT": str(tmp_path), "DJANGO_SETTINGS_MODULE": "chiso.settings", "CHISO_SCHEDULER": "off"}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60, check=True)
    status, body = done.stdout.strip().splitlines()[-2:]
    assert status == "503"
    checks = json.loads(body)["checks"]
    assert checks["database"] == checks["migrations"] == checks["worker"] == "error"
    assert checks["media"] == "ok"
    assert "127.0.0.1" not in body and "chiso@" not in body
