from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models

# Moderation outcomes carry the moderator's reason, which only the notification
# itself shows: seeing the post does not tell it.
NOT_READ_BY_SEEING = ("moderation",)


class NotificationQuerySet(models.QuerySet):
    def shown(self) -> NotificationQuerySet:
        """The ones the member sees in the app (not e-mail-only)."""
        return self.filter(shown=True)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def in_bell(self, user: Any) -> NotificationQuerySet:
        """A member's unread shown ones: what ``User.unread_notifications`` counts."""
        return self.filter(recipient=user).shown().unread()

    def read_by_seeing(self, post_ids: Sequence[int]) -> NotificationQuerySet:
        """The ones a page answers by showing ``post_ids``: a reply, quote, mention,
        reaction or recommendation is about a post, and the post on screen says it."""
        return self.filter(post_id__in=post_ids).exclude(kind__in=NOT_READ_BY_SEEING)

    def for_list(self, user: Any) -> NotificationQuerySet:
        """A member's notifications, newest first, with what each shows."""
        return (
            self.filter(recipient=user, shown=True)
            .select_related("actor", "post__topic__forum", "topic__forum")
            .order_by("-updated_at", "-id")
        )
