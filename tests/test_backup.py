"""manage.py backup and restore: a round trip on PostgreSQL with the demo data.

The restore runs as the real command, in another process, into a new empty
database and an empty media directory; the test then compares every table's
row count and a checksum of its whole content, read straight from both
databases, and the media files byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from forum.backup import backup, table_counts

ROOT = Path(__file__).resolve().parent.parent


def _connect(settings_dict: dict[str, Any], name: str) -> psycopg.Connection:
    return psycopg.connect(
        host=settings_dict["HOST"] or "127.0.0.1",
        port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"] or None,
        password=settings_dict["PASSWORD"] or None,
        dbname=name,
        autocommit=True,
    )


def _content(name: str) -> dict[str, tuple[int, str]]:
    """Every table of the database ``name``: its row count and a checksum of its rows."""
    with _connect(connection.settings_dict, name) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        content = {}
        for table in tables:
            query = f'SELECT t::text FROM "{table}" t ORDER BY 1'  # noqa: S608 (catalog names)
            rows = conn.execute(query).fetchall()
            digest = hashlib.sha256("\n".join(row[0] for row in rows).encode()).hexdigest()
            content[table] = (len(rows), digest)
        return content


@pytest.fixture
def empty_database(postgres: None) -> Iterator[str]:
    name = f"{connection.settings_dict['NAME']}_restore"
    with _connect(connection.settings_dict, "postgres") as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with _connect(connection.settings_dict, "postgres") as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage(*args: str, **variables: str) -> subprocess.CompletedProcess[str]:
    keep = {"PATH", "HOME", "LANG", "TMPDIR"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env.update(DJANGO_SETTINGS_MODULE="forum.settings", DEBUG="0", HTTPS="0",
               SECRET_KEY="agora-backup-test", LOG_FORMAT="plain", **variables)  # fmt: skip
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
        text=True, timeout=300, check=False,
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_an_empty_database_gives_the_same_site(
    empty_database: str, settings: Any, tmp_path: Path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", verbosity=0)
    default_storage.save("avatars/1/fog.png", ContentFile(b"\x89PNG fake avatar"))
    default_storage.save("attachments/2026/11/photo.jpg", ContentFile(b"\xff\xd8 a photo"))
    source = connection.settings_dict["NAME"]

    manifest = backup(tmp_path / "backup")
    assert sorted(p.name for p in (tmp_path / "backup").iterdir()) == [
        "database.dump", "manifest.json", "media.tar.gz",
    ]  # fmt: skip
    stored = sum(1 for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file())
    assert stored > 2  # the demo's pictures and avatars, and the two files above
    assert manifest["counts"]["posts.post"] > 50 and manifest["media_files"] == stored

    db = connection.settings_dict
    result = _manage(
        "restore", str(tmp_path / "backup"),
        DATABASE_URL=f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{empty_database}",
        MEDIA_ROOT=str(tmp_path / "restored-media"),
        AGORA_VAR_DIR=str(tmp_path / "var"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr + result.stdout
    assert "posts.post: " in result.stdout and "MISMATCH" not in result.stdout

    # Every table, row for row.
    assert _content(empty_database) == _content(source)
    for name in ["avatars/1/fog.png", "attachments/2026/11/photo.jpg"]:
        original = (tmp_path / "media" / name).read_bytes()
        assert (tmp_path / "restored-media" / name).read_bytes() == original

    # A second restore into the now full database is refused.
    again = _manage(
        "restore", str(tmp_path / "backup"),
        DATABASE_URL=f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{empty_database}",
        AGORA_VAR_DIR=str(tmp_path / "var"),
    )  # fmt: skip
    assert again.returncode != 0 and "not empty" in again.stderr


@pytest.mark.django_db(transaction=True)
def test_backup_manifest_counts_the_rows_of_every_table(settings: Any, tmp_path: Path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", verbosity=0)
    call_command("backup", str(tmp_path / "backup"), stdout=open(os.devnull, "w"))  # noqa: SIM115
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["vendor"] == connection.vendor
    assert manifest["counts"] == table_counts()
    assert manifest["counts"]["accounts.user"] >= 10


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(tmp_path: Path):
    call_command("backup", str(tmp_path / "backup"), stdout=open(os.devnull, "w"))  # noqa: SIM115
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(tmp_path / "backup"))


def test_backup_refuses_a_directory_that_is_not_empty(tmp_path: Path):
    (tmp_path / "something").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path))
