from __future__ import annotations

from django.db import models


class ReportQuerySet(models.QuerySet):
    def open(self) -> ReportQuerySet:
        return self.filter(status="open")

    def open_counts(self, post_ids: list[int]) -> dict[int, int]:
        """How many open reports each of ``post_ids`` has, in one query."""
        if not post_ids:
            return {}
        rows = (
            self.open()
            .filter(post_id__in=post_ids)
            .values_list("post_id")
            .annotate(n=models.Count("id"))
            .order_by()
        )
        return dict(rows)

    def for_queue(self) -> ReportQuerySet:
        """Reports with their post, topic and people, oldest open ones first."""
        return self.select_related(
            "post__topic", "post__author", "reporter", "resolved_by"
        ).order_by("created_at", "id")


class ModerationActionQuerySet(models.QuerySet):
    def recent(self) -> ModerationActionQuerySet:
        return self.select_related("actor", "content_type").order_by("-created_at", "-id")
