"""Several web nodes starting at once migrate the database once (manage.py migrate_locked)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def _admin() -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"] or None,
        password=db["PASSWORD"] or None, dbname="postgres", autocommit=True,
    )  # fmt: skip


@pytest.fixture
def fresh_database(postgres: None, db: None) -> Iterator[str]:
    name = f"{connection.settings_dict['NAME']}_fresh"
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_three_nodes_starting_at_once_all_start_and_migrate_once(fresh_database, tmp_path):
    db = connection.settings_dict
    keep = {"PATH", "HOME", "LANG", "TMPDIR"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env.update(
        DJANGO_SETTINGS_MODULE="forum.settings", DEBUG="0", HTTPS="0", SECRET_KEY="x",
        LOG_FORMAT="plain", AGORA_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@"
        f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{fresh_database}",
    )  # fmt: skip
    nodes = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "migrate_locked", "--noinput"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(3)
    ]
    outputs = [node.communicate(timeout=300) for node in nodes]
    assert [node.returncode for node in nodes] == [0, 0, 0], outputs
    applying = [out.count("Applying ") for out, _ in outputs]
    # One node applied every migration; the others waited and found none left.
    assert sorted(applying)[:2] == [0, 0] and max(applying) > 10
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"] or None,
        password=db["PASSWORD"] or None, dbname=fresh_database,
    ) as conn:  # fmt: skip
        duplicates = conn.execute(
            "SELECT app, name FROM django_migrations GROUP BY app, name HAVING COUNT(*) > 1"
        ).fetchall()
    assert duplicates == []
