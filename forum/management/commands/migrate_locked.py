"""Apply migrations while holding a PostgreSQL advisory lock.

Several web containers starting at once (a rolling upgrade, `docker compose up
--scale web=3`) would otherwise run the same migrations side by side. With
the lock, the first applies them and the others wait, then find nothing to do.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections

# An arbitrary 64-bit number naming Agora's migration lock.
LOCK_ID = 0x41474F5241_4D4947


class Command(BaseCommand):
    help = "Run migrate under a database-wide lock, so concurrent starts migrate once."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args: Any, interactive: bool, **options: Any) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        verbosity = options["verbosity"]
        if connection.vendor != "postgresql":
            # SQLite is one file on one machine: its own write lock is enough.
            call_command("migrate", interactive=interactive, verbosity=verbosity)
            return
        with connection.cursor() as cursor:
            if verbosity:
                self.stdout.write("Waiting for the migration lock...")
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_ID])
        try:
            call_command("migrate", interactive=interactive, verbosity=verbosity)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_ID])
