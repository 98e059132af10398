from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Count, Q


class ReactionQuerySet(models.QuerySet):
    def counted(self) -> ReactionQuerySet:
        """Reactions that count for reputation: on posts that are shown, in shown topics."""
        return self.filter(post__hidden=False, post__topic__hidden=False)

    def received_by(self, user_id: int) -> ReactionQuerySet:
        return self.filter(post__author_id=user_id)

    def counts_for_posts(self, post_ids: list[int], user: Any = None) -> ReactionQuerySet:
        """Rows of (post_id, type_id, n, mine) for ``post_ids``, in one aggregate query.

        ``mine`` counts ``user``'s own reaction (0 or 1), so a member's page
        needs no second query to know what they chose.
        """
        rows = self.filter(post_id__in=post_ids).values("post_id", "type_id").order_by()
        if user is not None and user.is_authenticated:
            return rows.annotate(n=Count("id"), mine=Count("id", filter=Q(user_id=user.pk)))
        return rows.annotate(n=Count("id"))
