"""Backup and restore: `chiso backup` of the suite's database (SQLite or PostgreSQL, whichever the run uses)
and a media folder, then `chiso restore` in a separate process into a fresh database and an empty media folder:
the same row count in every table and the same sha256 for every file, counted here independently."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from chiso.accounts.models import User
from chiso.ops.backup import prune_backups
from tests.conftest import restore_demo

ROOT = Path(__file__).resolve().parent.parent


def _sha256_tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file()}


def _counts(cursor: object, tables: list[str]) -> dict[str, int]:
    result = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # type: ignore[attr-defined]
        result[table] = cursor.fetchone()[0]  # type: ignore[attr-defined]
    return result


@pytest.fixture
def media(settings, tmp_path) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path / "media"
    (root / "evidence" / "2025").mkdir(parents=True)
    (root / "evidence" / "2025" / "Báo cáo quý III.pdf").write_bytes(b"%PDF-1.4 minh chung " * 500)
    (root / "imports" / "tuyen-quang").mkdir(parents=True)
    (root / "imports" / "tuyen-quang" / "ke-hoach.docx").write_bytes(os.urandom(40_000))
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def fresh_database(tmp_path) -> Iterator[tuple[str, object]]:
    """A database URL with nothing in it, on the engine the suite runs on, and a way to open it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "fresh.sqlite3"
        yield f"sqlite:///{path}", lambda: sqlite3.connect(path)
        return
    name = f"{db['NAME']}_restore"
    server = {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"], "password": db["PASSWORD"] or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    yield (f"postgres://{db['USER']}{password}@{db['HOST']}:{server['port']}/{name}",
           lambda: psycopg.connect(dbname=name, **server))
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _restore_in_new_process(archive: Path, database_url: str, media_root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "CHISO_MEDIA_ROOT": str(media_root),
           "CHISO_SCHEDULER": "off", "CHISO_DB_CONN_MAX_AGE": "0"}
    return subprocess.run([sys.executable, "-m", "chiso", "restore", str(archive)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


# Transactional: the SQLite online backup waits forever for a write transaction left open on its own connection
# (the suite's atomic test wrapper under transaction_mode=IMMEDIATE); a real backup runs outside any.
@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_a_fresh_database_and_media_folder_gives_identical_counts_and_checksums(
        media, fresh_database, tmp_path):
    restore_demo()  # a transactional test starts from whatever the previous one flushed
    call_command("backup", dir=tmp_path / "backups", keep=0, verbosity=0)
    [archive] = (tmp_path / "backups").glob("chiso-*.tar")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names and "media/evidence/2025/Báo cáo quý III.pdf" in names
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        source_counts = _counts(cursor, tables)
    assert source_counts["accounts_user"] > 0 and source_counts["plans_task"] > 0

    database_url, open_restored = fresh_database
    restored_media = tmp_path / "restored-media"
    done = _restore_in_new_process(archive, database_url, restored_media)
    assert done.returncode == 0, done.stderr
    with open_restored() as restored:  # type: ignore[operator]
        restored_counts = _counts(restored.cursor(), tables)
    assert restored_counts == source_counts
    assert _sha256_tree(restored_media) == _sha256_tree(media)

    # Again, now that the database and the folder are in use: refused, nothing changed.
    again = _restore_in_new_process(archive, database_url, restored_media)
    assert again.returncode != 0 and "--force" in again.stderr


@pytest.mark.django_db(transaction=True)  # see above: a backup inside the test's transaction waits forever
def test_restore_refuses_a_database_in_use_without_force_and_changes_nothing(media, tmp_path):
    restore_demo()  # a transactional test starts from whatever the previous one flushed
    call_command("backup", dir=tmp_path, keep=0, verbosity=0)
    [archive] = tmp_path.glob("chiso-*.tar")
    users = User.objects.count()
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(archive))
    assert User.objects.count() == users


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    bogus = tmp_path / "not-a-backup.tar"
    with tarfile.open(bogus, "w") as tar:
        tar.add(__file__, arcname="something.py")
    with pytest.raises(CommandError, match="manifest"):
        call_command("restore", str(bogus))


def test_prune_keeps_the_newest_archives(tmp_path):
    for day in range(1, 6):
        (tmp_path / f"chiso-202512{day:02d}-020000.tar").write_bytes(b"x")
    removed = prune_backups(tmp_path, keep=2)
    assert [p.name for p in removed] == [f"chiso-202512{d:02d}-020000.tar" for d in (1, 2, 3)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chiso-20251204-020000.tar", "chiso-20251205-020000.tar"]
