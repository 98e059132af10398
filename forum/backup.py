"""Back up and restore the whole site: the database and the uploaded files.

A backup is a directory holding:

- ``database.dump``: ``pg_dump --format=custom`` of the PostgreSQL database (or
  ``database.sqlite3``, a copy made with SQLite's backup API, in the embedded
  default);
- ``media.tar.gz``: every uploaded file, read through Django's storage API, so
  a local volume and an S3 bucket are backed up the same way;
- ``manifest.json``: when, from what, and the row count of every table, taken
  in the same database snapshot as the dump, so a restore can be checked.

``restore`` loads a backup into an empty database and media store, then
compares the row counts with the manifest.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction

DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot go ahead, with the reason for the operator."""


def table_counts(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Rows in every table of the project's models, by ``app_label.model``."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            counts[model._meta.label_lower] = model._base_manager.using(using).count()
    return dict(sorted(counts.items()))


def _pg_environment(using: str) -> dict[str, str]:
    """libpq's variables for the database of ``using`` (the password stays off argv)."""
    settings_dict = connections[using].settings_dict
    env = dict(os.environ)
    for variable, key in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ]:
        value = settings_dict.get(key)
        if value:
            env[variable] = str(value)
        else:
            env.pop(variable, None)
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")


# --- media, through the storage API ----------------------------------------------


def _walk(storage: Storage, path: str = "") -> Iterator[str]:
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield str(PurePosixPath(path, name)) if path else name
    for directory in sorted(directories):
        yield from _walk(storage, str(PurePosixPath(path, directory)) if path else directory)


def dump_media(target: Path, storage: Storage = default_storage) -> int:
    count = 0
    with tarfile.open(target, "w:gz") as archive:
        for name in _walk(storage):
            info = tarfile.TarInfo(name)
            info.size = storage.size(name)
            with storage.open(name, "rb") as handle:
                archive.addfile(info, handle)
            count += 1
    return count


def load_media(source: Path, storage: Storage = default_storage) -> tuple[int, int]:
    """Store every file of the archive; return (restored, already there)."""
    restored = skipped = 0
    with tarfile.open(source, "r:gz") as archive:
        for member in archive:
            if not member.isfile():
                continue
            name = PurePosixPath(member.name)
            if name.is_absolute() or ".." in name.parts:
                raise BackupError(f"unsafe path in {source.name}: {member.name}")
            if storage.exists(str(name)):
                skipped += 1
                continue
            handle = archive.extractfile(member)
            assert handle is not None  # noqa: S101 (a regular file always has a body)
            saved = storage.save(str(name), File(handle))
            if saved != str(name):
                raise BackupError(f"storage renamed {name} to {saved}")
            restored += 1
    return restored, skipped


# --- backup ------------------------------------------------------------------------


def backup(directory: Path, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Write a backup into ``directory`` (created; must be empty); return the manifest."""
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty")
    connection = connections[using]
    if connection.vendor == "postgresql":
        counts = _dump_postgresql(directory / DUMP, using)
        database_file = DUMP
    elif connection.vendor == "sqlite":
        counts = _dump_sqlite(directory / SQLITE_COPY, using)
        database_file = SQLITE_COPY
    else:
        raise BackupError(f"no backup for a {connection.vendor} database")
    media_files = dump_media(directory / MEDIA)
    manifest = {
        "created_at": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "vendor": connection.vendor,
        "database_file": database_file,
        "media_file": MEDIA,
        "media_files": media_files,
        "counts": counts,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def _dump_postgresql(target: Path, using: str) -> dict[str, int]:
    connection = connections[using]
    # The counts and the dump read one snapshot: rows written meanwhile are in neither.
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        counts = table_counts(using)
        _run(
            [
                shutil.which("pg_dump") or "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
            _pg_environment(using),
        )
    return counts


def _dump_sqlite(target: Path, using: str) -> dict[str, int]:
    connection = connections[using]
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        # One step: the copy is a consistent snapshot. Count in the copy, so
        # the counts describe exactly what was saved.
        connection.connection.backup(destination)
        counts = {}
        for label, table in _model_tables():
            (counts[label],) = destination.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()  # noqa: S608
    finally:
        destination.close()
    return dict(sorted(counts.items()))


def _model_tables() -> list[tuple[str, str]]:
    return [
        (model._meta.label_lower, model._meta.db_table)
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


# --- restore -----------------------------------------------------------------------


def restore(directory: Path, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Load the backup in ``directory`` into the (empty) database and media store.

    Return a report: the manifest's counts, the restored counts, the media files.
    """
    manifest = json.loads((directory / MANIFEST).read_text())
    connection = connections[using]
    if connection.vendor != manifest["vendor"]:
        raise BackupError(
            f"the backup is of {manifest['vendor']}, the database {connection.vendor}"
        )
    if connection.introspection.table_names():
        raise BackupError(
            "the database is not empty: restore into a new, empty database "
            "(createdb, then point DATABASE_URL at it)"
        )
    database_file = directory / manifest["database_file"]
    if connection.vendor == "postgresql":
        _run(
            [
                shutil.which("pg_restore") or "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}",
                str(database_file),
            ],
            _pg_environment(using),
        )
    else:
        connection.ensure_connection()
        source = sqlite3.connect(database_file)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    restored, skipped = load_media(directory / manifest["media_file"])
    counts = table_counts(using)
    return {
        "expected": manifest["counts"],
        "restored": counts,
        "media_expected": manifest["media_files"],
        "media_restored": restored,
        "media_skipped": skipped,
        "matches": counts == manifest["counts"] and restored + skipped == manifest["media_files"],
    }
