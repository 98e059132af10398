"""Move buffered topic view counts into the database (run every minute)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from forum.threads.counters import flush_views


class Command(BaseCommand):
    help = "Write buffered topic view counts to the database."

    def handle(self, *args: Any, **options: Any) -> None:
        written = flush_views()
        self.stdout.write(f"Flushed {written} topic views.")
