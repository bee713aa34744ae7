"""What the pieces of the test suite's setup cost, in CPU seconds (time.process_time) beside wall seconds:
on a shared machine the CPU figure is the one that compares. Run from the work tree root:
    .venv/bin/python scripts/measure_test_costs.py
It creates and drops its own in-memory SQLite test database."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso.settings")
import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import override_settings, setup_databases, setup_test_environment  # noqa: E402

MD5 = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


class _RolledBack(Exception):
    pass


def cost(label: str, work: Callable[[], object], runs: int = 1) -> None:
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(runs):
        work()
    print(f"{label}: {(time.process_time() - cpu) / runs:.4f} s CPU, {(time.perf_counter() - wall) / runs:.3f} s wall")


def demo_rolled_back() -> None:
    from chiso.demo.loader import load_demo

    try:
        with transaction.atomic():
            load_demo()
            raise _RolledBack
    except _RolledBack:
        pass


def chromium_start_and_stop() -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                   args=["--no-sandbox", "--disable-gpu"]).close()


def main() -> None:
    from django.contrib.auth.hashers import make_password

    from chiso.demo.loader import load_demo

    setup_test_environment()
    setup_databases(verbosity=0, interactive=False)
    print(f"load average {os.getloadavg()[0]:.1f}")
    cost("one password hash, PBKDF2 (Django's default)", lambda: make_password("x"), 3)
    with MD5:
        cost("one password hash, MD5 (tests)", lambda: make_password("x"), 100)
    cost("demo load, PBKDF2", demo_rolled_back)
    with MD5:
        cost("demo load, MD5", demo_rolled_back)
        load_demo()
        cost("demo load over a loaded demo", load_demo)
    connection.ensure_connection()
    snapshot = sqlite3.connect(":memory:")
    cost("demo snapshot taken (SQLite backup)", lambda: connection.connection.backup(snapshot))
    cost("flush after a transactional test", lambda: call_command("flush", verbosity=0, interactive=False))
    cost("demo snapshot restored", lambda: snapshot.backup(connection.connection), 5)
    cost("Chromium started and stopped (this process's CPU only)", chromium_start_and_stop)


if __name__ == "__main__":
    main()
