"""Turn locust's stats CSV into the Markdown table of docs/PERFORMANCE.md; exit 1 if any request failed or the
server logged "database is locked"."""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.open(encoding="utf-8")))


def _table(path: Path) -> int:
    """Print one phase's Markdown table; return its failed requests. The arrivals' file has no rate."""
    # (locust keeps a page emptied at the switch of phases: a line of zeros says nothing)
    rows = [row for row in _rows(path) if row["Request Count"] != "0" or row["Name"] == "Aggregated"]
    rated = bool(rows) and "Requests/s" in rows[0]
    print(f"| page | requests | failures |{' req/s |' if rated else ''} p50 ms | p95 ms | p99 ms |")
    print("|---|---|---|" + ("---|" if rated else "") + "---|---|---|")
    for row in rows:
        rate = f" {float(row['Requests/s']):.1f} |" if rated else ""
        print(f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} |{rate} "
              f"{row['50%']} | {row['95%']} | {row['99%']} |")
    return sum(int(row["Failure Count"]) for row in rows if row["Name"] != "Aggregated")


def _cpu_per_request(out: Path) -> None:
    """Where the CPU went in each phase: milliseconds of gunicorn, PostgreSQL and locust per request served,
    and the cores kept busy in the steady state (chiso.scale.cpu_use's snapshots, locust's own `time`)."""
    names = ("cpu-before.json", "cpu-arrived.json", "cpu-after.json", "cpu-locust.json")
    if not all((out / name).exists() for name in names):
        return
    before, arrived, after, locust = (json.loads((out / name).read_text()) for name in names)
    locust_total = locust["locust_user"] + locust["locust_system"]
    arrivals = next(r for r in _rows(out / "arrivals.csv") if r["Name"] == "Aggregated")
    steady = next(r for r in _rows(out / "stats_stats.csv") if r["Name"] == "Aggregated")
    print("\n| CPU per request, ms | gunicorn | PostgreSQL | locust |\n|---|---|---|---|")
    for phase, start, end, locust_used, row in (
            ("arrivals (logins)", before, arrived, arrived["locust"] - arrived["locust_started"], arrivals),
            ("steady state", arrived, after, locust_total - arrived["locust"], steady)):
        count = max(int(row["Request Count"]), 1)
        print(f"| {phase} | {(end['gunicorn'] - start['gunicorn']) * 1000 / count:.1f} | "
              f"{(end['postgresql'] - start['postgresql']) * 1000 / count:.1f} | {locust_used * 1000 / count:.1f} |")
    rate = float(steady["Requests/s"])
    if rate:
        seconds = int(steady["Request Count"]) / rate
        busy = (after["gunicorn"] - arrived["gunicorn"] + after["postgresql"] - arrived["postgresql"]
                + locust_total - arrived["locust"]) / seconds
        print(f"\nCores kept busy in the steady state: {busy:.2f} of {os.cpu_count()}")


def main(out: Path) -> int:
    failures = 0
    arrivals = out / "arrivals.csv"  # chiso/scale/loadtest.py: what was measured while people logged in
    if arrivals.exists():
        print("Arrivals (each simulated person logs in, then starts working):\n")
        failures += _table(arrivals)
        print("\nSteady state (everyone signed in):\n")
    failures += _table(out / "stats_stats.csv")
    # SQLite under concurrent writes: a lock the busy timeout did not absorb would be in the server's log.
    log = out / "gunicorn.log"
    locked = log.read_text(errors="replace").count("database is locked") if log.exists() else 0
    _cpu_per_request(out)
    print(f"\n\"database is locked\" in the server log: {locked}")
    failures += locked
    for name in ("load-before.txt", "load-after.txt"):
        if (out / name).exists():
            print(f"\n{name}: {(out / name).read_text().strip()}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
