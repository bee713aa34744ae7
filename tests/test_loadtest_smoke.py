"""A short load test through a real server (gunicorn, 2 workers, production settings, loopback): 10 locust
users of the four personas for 20 s after they have all arrived, on a small synthetic SQLite dataset, with no
failed request.

It starts processes and takes about a minute on a quiet machine, several on a shared one, so it runs only
when asked: `CHISO_LOADTEST=1 .venv/bin/python -m pytest tests/test_loadtest_smoke.py -m loadtest`. The full
load test (200 users, 3 minutes, PostgreSQL) is scripts/loadtest/run.sh; see docs/PERFORMANCE.md."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.loadtest,
    pytest.mark.skipif(os.environ.get("CHISO_LOADTEST") != "1", reason="load test: set CHISO_LOADTEST=1"),
]


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=900)


def test_ten_users_for_twenty_seconds_through_gunicorn_get_no_error(tmp_path):  # type: ignore[no-untyped-def]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'load.sqlite3'}", "CHISO_VAR_DIR": str(tmp_path),
           "CHISO_LOADTEST_OUT": str(tmp_path / "out"), "CHISO_LOADTEST_RAMP": "10"}
    _manage(env, "migrate", "-v0")
    _manage(env, "generate_national_dataset", "--provinces", "1", "--departments", "3", "--communes", "6",
            "--years", "1", "--tasks", "12")
    run = subprocess.run(["scripts/loadtest/run.sh", "10", "20s", "2", "8799"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    rows = {row["Name"]: row for row in csv.DictReader((tmp_path / "out" / "stats_stats.csv").open())}
    arrivals = {row["Name"]: row for row in csv.DictReader((tmp_path / "out" / "arrivals.csv").open())}
    assert int(rows["Aggregated"]["Failure Count"]) == 0 and int(arrivals["Aggregated"]["Failure Count"]) == 0
    # The arrivals are measured apart from the steady state that follows them: every login is answered in the
    # first (the report editors find no draft in this small dataset and stop), the second has none and reads pages.
    assert int(arrivals["login"]["Request Count"]) >= 8 and int(rows["login"]["Request Count"]) == 0
    assert "| login |" not in run.stdout.split("Steady state")[1]
    assert sum(int(r["Request Count"]) for name, r in rows.items() if name != "Aggregated") > 0
    # Where the CPU went, phase by phase, and the summary says so.
    cpu = {name: json.loads((tmp_path / "out" / f"cpu-{name}.json").read_text())
           for name in ("before", "arrived", "after", "locust")}
    # (the arrivals here last a second: the workers may not have used a clock tick yet when they end)
    assert cpu["after"]["gunicorn"] > cpu["arrived"]["gunicorn"] >= cpu["before"]["gunicorn"]
    assert cpu["locust"]["locust_user"] > 0
    assert "| steady state |" in run.stdout and "Cores kept busy in the steady state" in run.stdout
