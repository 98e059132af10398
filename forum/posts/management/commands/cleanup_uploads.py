"""Remove uploaded images that no post took in time (also a periodic job)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from forum.posts.services import delete_stale_uploads


class Command(BaseCommand):
    help = "Delete uploads not attached to a post within AGORA_UPLOAD_MAX_AGE_HOURS, with files."

    def handle(self, *args: Any, **options: Any) -> None:
        removed = delete_stale_uploads()
        self.stdout.write(
            f"Removed {removed} unattached uploads older than "
            f"{settings.AGORA_UPLOAD_MAX_AGE_HOURS} hours."
        )
