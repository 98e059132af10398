"""Rebuild every denormalized counter from the rows."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from forum.boards.models import Forum
from forum.posts.services import recount_forum, recount_members, recount_topic
from forum.threads.models import Topic


class Command(BaseCommand):
    help = "Recount topic replies and last posts, forum counts, and member post counts."

    def handle(self, *args: Any, **options: Any) -> None:
        topics = 0
        for topic in Topic.objects.only("pk").iterator():
            recount_topic(topic)
            topics += 1
        forums = 0
        for forum in Forum.objects.all():
            recount_forum(forum)
            forums += 1
        members = recount_members()
        self.stdout.write(
            f"Recounted {topics} topics and {forums} forums; {members} member post counts fixed."
        )
