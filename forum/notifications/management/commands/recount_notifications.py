"""Rebuild every member's count of unread notifications (the bell) from the rows."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from forum.notifications.services import recount_all_unread


class Command(BaseCommand):
    help = "Recount each member's unread notifications (the number on the bell)."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = recount_all_unread()
        self.stdout.write(f"Recounted the bells; {changed} members fixed.")
