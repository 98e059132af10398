from __future__ import annotations

from django.db import models


class ForumQuerySet(models.QuerySet):
    def for_index(self) -> ForumQuerySet:
        return self.select_related("category", "last_poster")

    def in_index_order(self) -> ForumQuerySet:
        """As the board index lists them: by category, then by position in it."""
        return self.order_by("category__position", "category_id", "position", "id")
