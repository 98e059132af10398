from __future__ import annotations

from typing import Any

from django.db import models


class NotificationQuerySet(models.QuerySet):
    def shown(self) -> NotificationQuerySet:
        """The ones the member sees in the app (not e-mail-only)."""
        return self.filter(shown=True)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def for_list(self, user: Any) -> NotificationQuerySet:
        """A member's notifications, newest first, with what each shows."""
        return (
            self.filter(recipient=user, shown=True)
            .select_related("actor", "post__topic__forum", "topic__forum")
            .order_by("-updated_at", "-id")
        )
