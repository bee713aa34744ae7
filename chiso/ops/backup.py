"""`chiso backup` and `chiso restore`: one tar archive holding the database, the media files and a manifest.

- The database: `pg_dump --format=custom` for PostgreSQL (consistent snapshot, restored with pg_restore), the
  SQLite online backup API for SQLite (a consistent copy while chiso keeps running).
- The media files (evidence, imported originals, exports) under `media/`.
- `manifest.json`: the engine, the row count of every table and the sha256 of the dump and of every file,
  checked again after a restore, so a restore that lost anything fails loudly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
DUMPS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A refusal or failure, in Vietnamese, for the command to print."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_checksums(media_root: Path) -> dict[str, str]:
    """Every file under the media folder by its path relative to it (POSIX separators), with its sha256."""
    if not media_root.is_dir():
        return {}
    return {path.relative_to(media_root).as_posix(): sha256_of(path)
            for path in sorted(media_root.rglob("*")) if path.is_file() and not path.name.startswith(".healthz-")}


def row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (catalog name)
            counts[table] = cursor.fetchone()[0]
    return counts


def engine() -> str:
    vendor = connection.vendor
    if vendor not in DUMPS:
        raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu loại {vendor}.")
    return vendor


def pg_environment() -> dict[str, str]:
    """libpq reads the connection from the environment: no password on a command line."""
    db = connection.settings_dict
    values = {"PGHOST": db.get("HOST"), "PGPORT": str(db.get("PORT") or ""), "PGUSER": db.get("USER"),
              "PGPASSWORD": db.get("PASSWORD"), "PGDATABASE": db["NAME"]}
    return {**os.environ, **{key: value for key, value in values.items() if value}}


def run(command: list[str], env: dict[str, str] | None = None) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"Lệnh {command[0]} không thành công: {done.stderr.strip()[-2000:]}")


def dump_database(kind: str, target: Path) -> None:
    if kind == "postgresql":
        run(["pg_dump", "--format=custom", "--no-owner", "--no-acl", f"--file={target}"], env=pg_environment())
        return
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)  # the online backup API: consistent while others write
    finally:
        copy.close()


def create_backup(destination: Path, media_root: Path | None = None) -> Path:
    """Write one archive into `destination` and return its path; a half-written archive never has the final
    name."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    kind = engine()
    destination.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive = destination / f"chiso-{stamp}.tar"
    with tempfile.TemporaryDirectory(dir=destination) as work:
        dump = Path(work) / DUMPS[kind]
        dump_database(kind, dump)
        manifest: dict[str, Any] = {"format": FORMAT, "created_at": timezone.now().isoformat(), "engine": kind,
                    "database": {"file": dump.name, "sha256": sha256_of(dump)},
                    "tables": row_counts(), "media": media_checksums(media_root)}
        partial = Path(work) / "archive.tar"
        with tarfile.open(partial, "w") as tar:
            add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
            tar.add(dump, arcname=dump.name)
            for name in manifest["media"]:
                tar.add(media_root / name, arcname=f"media/{name}")
        partial.replace(archive)
    return archive


def add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(data), int(dt.datetime.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def prune_backups(destination: Path, keep: int) -> list[Path]:
    """Keep the `keep` newest archives (their names sort by date); return the ones removed."""
    archives = sorted(destination.glob("chiso-*.tar"))
    removed = archives[:-keep] if keep > 0 else []
    for old in removed:
        old.unlink()
    return removed


def read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.extractfile(MANIFEST)
    except KeyError:
        raise BackupError("Tệp không phải bản sao lưu của chiso (thiếu manifest.json).") from None
    manifest = json.loads(member.read()) if member else {}
    if manifest.get("format") != FORMAT:
        raise BackupError("Bản sao lưu có định dạng không hỗ trợ.")
    return manifest
