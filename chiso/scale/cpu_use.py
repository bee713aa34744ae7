"""The CPU time (user + system, seconds) used so far by the load test's server-side processes, read from /proc:
the gunicorn master and workers and every PostgreSQL process on the machine (another cluster running beside
the one measured would count too). scripts/loadtest/run.sh takes a snapshot before locust starts and after it
stops, the locustfile one when the last login is answered (with locust's own time); summarise.py divides the
differences by the requests served: where the two cores went, phase by phase.

    python -m chiso.scale.cpu_use FILE      # writes the snapshot as JSON"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

# A process belongs to the first group whose marker its command line holds.
GROUPS = {"gunicorn": "gunicorn", "postgresql": "postgres"}


def _cpu_seconds(stat: str) -> float:
    """The process's own CPU and that of its children that have ended: PostgreSQL replaces a backend when the
    web process drops a connection past its age (60 s), gunicorn a worker past its request count, and the
    ended one's time would otherwise vanish from the next snapshot. A living child's time is its own line."""
    # Fields after the command name (which may hold spaces, hence the split on its closing parenthesis):
    # utime, stime, cutime and cstime are the 12th to the 15th.
    fields = stat.rsplit(")", 1)[1].split()
    return sum(int(field) for field in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def snapshot() -> dict[str, float]:
    used = dict.fromkeys(GROUPS, 0.0)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended while being read
            continue
        for group, marker in GROUPS.items():
            if marker in command:
                used[group] += _cpu_seconds(stat)
                break
    return used


def write_snapshot(target: str, **more: float) -> None:
    Path(target).write_text(json.dumps({**snapshot(), **more}), encoding="utf-8")


if __name__ == "__main__":
    write_snapshot(sys.argv[1])
