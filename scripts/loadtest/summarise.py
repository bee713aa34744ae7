"""Turn locust's stats CSV into the Markdown table of docs/PERFORMANCE.md; exit 1 if any request failed or the
server logged "database is locked"."""

from __future__ import annotations

import csv
import sys
from pathlib import Path


def main(out: Path) -> int:
    rows = list(csv.DictReader((out / "stats_stats.csv").open()))
    print("| page | requests | failures | req/s | p50 ms | p95 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|")
    failures = 0
    for row in rows:
        failures += int(row["Failure Count"]) if row["Name"] != "Aggregated" else 0
        print(f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | "
              f"{float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} |")
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
