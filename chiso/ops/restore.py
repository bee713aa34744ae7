"""`chiso restore ARCHIVE`: into an empty database and an empty media folder, or over existing ones with
`--force`; the result is checked against the archive's manifest (row counts and checksums)."""

from __future__ import annotations

import shutil
import sqlite3
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from chiso.ops.backup import (
    BackupError,
    engine,
    media_checksums,
    pg_environment,
    read_manifest,
    row_counts,
    run,
    sha256_of,
)


def database_in_use() -> bool:
    """A database in use has accounts; a fresh one (no tables, or just migrated) has none."""
    with connection.cursor() as cursor:
        if "accounts_user" not in connection.introspection.table_names(cursor):
            return False
        cursor.execute("SELECT 1 FROM accounts_user LIMIT 1")
        return cursor.fetchone() is not None


def media_in_use(media_root: Path) -> bool:
    return bool(media_checksums(media_root))


def load_database(kind: str, dump: Path) -> None:
    if kind == "postgresql":
        connection.close()
        # One transaction: a failure leaves the database as it was. --clean drops what the dump recreates.
        run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction",
             "--exit-on-error", f"--dbname={connection.settings_dict['NAME']}", str(dump)], env=pg_environment())
        return
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)  # replaces every page of the current database
    finally:
        source.close()


def load_media(tar: tarfile.TarFile, media_root: Path, work: Path) -> None:
    members = [m for m in tar.getmembers() if m.name.startswith("media/")]
    tar.extractall(work, members=members, filter="data")  # refuses absolute paths, "..", links outside
    if media_root.exists():
        for child in media_root.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    media_root.mkdir(parents=True, exist_ok=True)
    if (work / "media").is_dir():
        shutil.copytree(work / "media", media_root, dirs_exist_ok=True)


def check_restored(manifest: dict[str, Any], media_root: Path) -> list[str]:
    """What differs from the manifest, in words; empty when the restore is exact."""
    problems = []
    counts = row_counts()
    for table, expected in manifest["tables"].items():
        if counts.get(table) != expected:
            problems.append(f"Bảng {table}: {counts.get(table)} dòng, bản sao lưu có {expected}.")
    if media_checksums(media_root) != manifest["media"]:
        problems.append("Tệp đính kèm khác với bản sao lưu.")
    return problems


def restore_backup(archive: Path, force: bool = False, media_root: Path | None = None) -> dict[str, Any]:
    """Restore `archive`; refuse a database or media folder in use unless `force`. Returns the manifest."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    kind = engine()
    if not archive.is_file():
        raise BackupError(f"Không tìm thấy tệp {archive}.")
    with tarfile.open(archive, "r") as tar, tempfile.TemporaryDirectory() as work_dir:
        manifest = read_manifest(tar)
        if manifest["engine"] != kind:
            raise BackupError(f"Bản sao lưu là của {manifest['engine']}, cơ sở dữ liệu hiện tại là {kind}.")
        if not force and database_in_use():
            raise BackupError("Cơ sở dữ liệu đang có dữ liệu; dùng --force để ghi đè.")
        if not force and media_in_use(media_root):
            raise BackupError(f"Thư mục tệp {media_root} không trống; dùng --force để ghi đè.")
        work = Path(work_dir)
        tar.extract(manifest["database"]["file"], work, filter="data")
        dump = work / manifest["database"]["file"]
        if sha256_of(dump) != manifest["database"]["sha256"]:
            raise BackupError("Tệp cơ sở dữ liệu trong bản sao lưu bị hỏng (sai mã kiểm tra).")
        load_database(kind, dump)
        load_media(tar, media_root, work)
    problems = check_restored(manifest, media_root)
    if problems:
        raise BackupError("Khôi phục không khớp bản sao lưu:\n" + "\n".join(problems))
    return manifest
