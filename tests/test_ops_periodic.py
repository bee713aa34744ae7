"""Periodic jobs in production: the web process runs no thread; `chiso run_periodic` queues each due job once
per interval however many times it runs at once, and the worker's run of the heartbeat job is what /healthz
reads."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from chiso.ops.models import Heartbeat, PeriodicJob
from chiso.ops.periodic import claim, run_due_jobs

ROOT = Path(__file__).resolve().parent.parent
THREADS = ("import threading, chiso.wsgi; "
           "print(sorted(t.name for t in threading.enumerate() if t.name.startswith('chiso')))")


def _threads_of_web_process(**env: str) -> str:
    inherited = {key: value for key, value in os.environ.items() if key != "CHISO_SCHEDULER"}
    environment = {**inherited, "CHISO_SECRET_KEY": "test-only", "CHISO_ALLOWED_HOSTS": "chiso.example.gov.vn",
                   "CHISO_SCHEDULER_FIRST_DELAY_SECONDS": "3600", **env}
    done = subprocess.run([sys.executable, "-c", THREADS], cwd=ROOT, env=environment, capture_output=True,
                          text=True, timeout=60, check=True)
    return done.stdout.strip().splitlines()[-1]


def test_production_web_process_starts_no_background_thread():
    assert _threads_of_web_process(CHISO_PRODUCTION="1") == "[]"


def test_development_web_process_keeps_the_reminder_thread_and_production_may_ask_for_it():
    assert _threads_of_web_process(CHISO_PRODUCTION="0") == "['chiso-reminders']"
    assert _threads_of_web_process(CHISO_PRODUCTION="1", CHISO_SCHEDULER="thread") == "['chiso-reminders']"


@pytest.mark.django_db
def test_a_job_is_claimed_once_per_interval():
    now = timezone.now()
    every = dt.timedelta(minutes=10)
    assert claim("reminders", every, now) is True
    assert claim("reminders", every, now) is False  # a second scheduler at the same moment
    assert claim("reminders", every, now + dt.timedelta(minutes=5)) is False
    assert claim("reminders", every, now + every) is True
    assert PeriodicJob.objects.get(name="reminders").last_started_at == now + every


@pytest.mark.django_db
def test_run_periodic_queues_each_due_job_once_for_the_worker(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("run_periodic")
    call_command("run_periodic")  # the timer firing again, or a second host: nothing new is queued
    queued = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert queued == ["chiso.monitoring.reminders.tasks.send_reminders_task", "chiso.ops.tasks.clean_up_task",
                      "chiso.ops.tasks.worker_heartbeat_task"]
    assert not Heartbeat.objects.exists()  # queued, not run: only the worker runs it


@pytest.mark.django_db
def test_the_worker_runs_the_queued_jobs_and_leaves_a_heartbeat(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    start = timezone.now()
    assert run_due_jobs() == ["heartbeat", "reminders", "clean_up"]
    # The worker's own claim-and-run path (its BEGIN EXCLUSIVE loop cannot run inside the test's transaction).
    worker = Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="test-worker")
    for queued in DBTaskResult.objects.ready():
        queued.claim(worker.worker_id)
        worker.run_task(queued)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert Heartbeat.objects.get(name="worker").beat_at >= start
