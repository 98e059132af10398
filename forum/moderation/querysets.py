from __future__ import annotations

from django.db import models


class ReportQuerySet(models.QuerySet):
    def open(self) -> ReportQuerySet:
        return self.filter(status="open")

    def for_queue(self) -> ReportQuerySet:
        """Reports with their post, topic and people, oldest open ones first."""
        return self.select_related(
            "post__topic", "post__author", "reporter", "resolved_by"
        ).order_by("created_at", "id")


class ModerationActionQuerySet(models.QuerySet):
    def recent(self) -> ModerationActionQuerySet:
        return self.select_related("actor", "content_type").order_by("-created_at", "-id")
