"""Turn locust's stats CSV into the Markdown table of docs/PERFORMANCE.md; exit 1 if any request failed or the
server logged "database is locked"."""

from __future__ import annotations

import csv
import sys
from pathlib import Path


def _table(path: Path) -> int:
    """Print one phase's Markdown table; return its failed requests. The arrivals' file has no rate."""
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rated = bool(rows) and "Requests/s" in rows[0]
    print(f"| page | requests | failures |{' req/s |' if rated else ''} p50 ms | p95 ms | p99 ms |")
    print("|---|---|---|" + ("---|" if rated else "") + "---|---|---|")
    for row in rows:
        rate = f" {float(row['Requests/s']):.1f} |" if rated else ""
        print(f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} |{rate} "
              f"{row['50%']} | {row['95%']} | {row['99%']} |")
    return sum(int(row["Failure Count"]) for row in rows if row["Name"] != "Aggregated")


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
    print(f"\n\"database is locked\" in the server log: {locked}")
    failures += locked
    for name in ("load-before.txt", "load-after.txt"):
        if (out / name).exists():
            print(f"\n{name}: {(out / name).read_text().strip()}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
