"""Test personas come from the demo province (Tuyên Quang), loaded once into the test database:

- quantri (admin): everything, every province.
- dieuphoi (coordinator, Sở Nội vụ): sees and changes the whole province.
- daumoi.minhxuan (focal point, phường Minh Xuân): edits its own unit's draft plan only.
- lanhdao.minhxuan (leader, phường Minh Xuân): approves and sends its unit's plan.
- daumoi.hagiang1 (focal point of another ward): the outsider to Minh Xuân's drafts.
- lanhdaotinh (viewer, UBND tỉnh): reads everything in the province, changes nothing.

Speed (see docs/PERFORMANCE.md, "Test suite"): passwords are hashed with MD5 under pytest; the demo is loaded
once per xdist worker and kept as a snapshot that transactional (live-server) tests restore instead of
reloading it; Chromium is started once per worker and each browser test gets its own contexts; tests that
cannot depend on the database engine are marked `engine_independent` so that the PostgreSQL pass skips them.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test import Client, override_settings

from chiso.accounts.models import User
from chiso.demo.loader import DEMO_PASSWORD, load_demo
from chiso.plans.models import Plan, PlanStatus
from tests.browser_checks import csp_watched

ROLES = ["admin", "coordinator", "focal_point", "leader", "viewer", "anonymous"]
USERNAMES = {
    "admin": "quantri", "coordinator": "dieuphoi", "focal_point": "daumoi.minhxuan",
    "leader": "lanhdao.minhxuan", "viewer": "lanhdaotinh", "other_commune": "daumoi.hagiang1",
    "department_focal_point": "daumoi.skhcn",
}


CHROMIUM = "/usr/bin/chromium"
# Tests that touch no database at all are found by their fixtures; these are engine-independent although they
# use one (they only read the demo to feed a browser, LibreOffice or the import parser).
ENGINE_INDEPENDENT_FILES = {"test_documents_libreoffice.py", "test_import_quality.py"}
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
                     "live_server"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark what the PostgreSQL pass may skip: browser tests, the LibreOffice and import-quality files, and every
    test that uses no database. What remains there covers every model, query, permission and service path."""
    for item in items:
        uses_database = (item.get_closest_marker("django_db") is not None
                         or bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))))
        if (not uses_database or item.get_closest_marker("browser") is not None
                or item.path.name in ENGINE_INDEPENDENT_FILES):
            item.add_marker(pytest.mark.engine_independent)


def pytest_make_parametrize_id(config: pytest.Config, val: object, argname: str) -> str | None:
    """File contents as parameters are named by their size: a .docx or .xlsx built at collection carries the
    current time in its zip headers, and xdist refuses workers whose test names differ."""
    if isinstance(val, bytes | bytearray):
        return f"{len(val)}-bytes"
    return None


@pytest.fixture(scope="session", autouse=True)
def fast_password_hasher() -> Iterator[None]:
    """PBKDF2 costs a third of a second per hash here: eight demo users and every browser login. The hasher
    is not what any test is about."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def empty_memory_cache() -> None:
    """Each test starts with an empty cache: rows are rolled back after a test and SQLite hands their ids out
    again, so a page or figures cached by one test could otherwise be read by the next under the same key."""
    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()


_demo_snapshot: sqlite3.Connection | None = None


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, fast_password_hasher):  # type: ignore[no-untyped-def]
    """The demo province, once per (xdist) worker; on SQLite also copied aside for restore_demo()."""
    global _demo_snapshot
    with django_db_blocker.unblock():
        load_demo()
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            _demo_snapshot = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(_demo_snapshot)


def restore_demo() -> Plan:
    """The database as it was right after the demo loaded, for transactional tests (which start from whatever
    the previous one flushed). SQLite copies the snapshot back in milliseconds; other engines reload the demo
    (idempotent, and only the SQLite pass runs the browser tests)."""
    if _demo_snapshot is not None and connection.vendor == "sqlite":
        connection.ensure_connection()
        _demo_snapshot.backup(connection.connection)
        ContentType.objects.clear_cache()  # the flush re-created them with other ids
        return _demo_issued_plan()
    return load_demo().plan


def _demo_issued_plan() -> Plan:
    return Plan.objects.get(province__code="tuyen-quang", parent__isnull=True, status=PlanStatus.ISSUED)


def client_for(role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(User.objects.get(username=USERNAMES[role]))
    return client


@pytest.fixture
def demo_plan(db) -> Plan:  # type: ignore[no-untyped-def]
    return _demo_issued_plan()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Debian Chromium per worker, started by the first browser test that asks for it."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; Django must still answer the test's queries.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser(chromium, live_server) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """The session's Chromium against a live chiso holding the demo as loaded; the contexts (cookies, pages)
    a test opens are closed after it, so the next test starts logged out."""
    restore_demo()
    with csp_watched(chromium) as watched:
        yield watched
    for context in list(chromium.contexts):
        context.close()


LOGIN_PATH = "/tai-khoan/dang-nhap/"


def login(page, live_server, username: str) -> None:  # type: ignore[no-untyped-def]
    """Signs in through the form and waits for the landing page, which depends on the role: the home page
    ("Việc cần làm") for most, the overview of an index (/theo-doi/chi-so/...) for the province's leadership,
    whom home redirects there. A refused login stays on the login page and times out here."""
    page.goto(f"{live_server.url}{LOGIN_PATH}")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: urlsplit(url).path != LOGIN_PATH)


def task_edit_form(task, **changes):  # type: ignore[no-untyped-def]
    """The task editor's form as it is posted back: what the page shows, with the given changes."""
    from chiso.plans.forms import TaskForm

    data = {key: "" if value is None else value for key, value in TaskForm.initial_for(task).items()}
    data.update(changes)
    return data
