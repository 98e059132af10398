from __future__ import annotations

from django.db import models


class ForumQuerySet(models.QuerySet):
    def for_index(self) -> ForumQuerySet:
        return self.select_related("category", "last_poster")
