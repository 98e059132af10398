from __future__ import annotations

from django.db import models


class PostQuerySet(models.QuerySet):
    def shown(self) -> PostQuerySet:
        """Posts everyone may see: not hidden, not awaiting approval."""
        return self.filter(hidden=False, pending=False)

    def awaiting_approval(self) -> PostQuerySet:
        return self.filter(pending=True)

    def for_topic_page(self, topic_id: int, first: int, last: int) -> PostQuerySet:
        """Posts at positions ``first``..``last`` of a topic, with their authors."""
        return (
            self.filter(topic_id=topic_id, position__gte=first, position__lte=last)
            .select_related("author", "edited_by", "hidden_by")
            .order_by("position")
        )
