from __future__ import annotations

from django.db import models


class TopicQuerySet(models.QuerySet):
    def for_list(self) -> TopicQuerySet:
        """Topics in list order (pinned first, then last activity) with their people."""
        return self.select_related("author", "last_poster").order_by(
            "-pinned", "-last_post_at", "-id"
        )

    def shown(self) -> TopicQuerySet:
        """Topics everyone may see: not hidden, not awaiting approval."""
        return self.filter(hidden=False, pending=False)
