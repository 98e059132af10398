"""Rebuild every member's reputation from the reactions their shown posts received."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from forum.reactions.services import recount_all_reputation


class Command(BaseCommand):
    help = "Recount members' reputation from the reactions to their visible posts."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = recount_all_reputation()
        self.stdout.write(f"Recounted reputation; {changed} members fixed.")
