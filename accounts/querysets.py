from __future__ import annotations

from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models

# What pages show of a member beside their posts: the author panel (name, title,
# counts, joining date, avatar, signature). Queries that load authors with their
# posts load only these (a password hash has no business on a topic page).
PANEL_FIELDS = (
    "id", "username", "title", "post_count", "reputation", "date_joined", "avatar",
    "avatar_small", "signature_html", "is_active",
)  # fmt: skip


# Fields of a member no page beside a post shows: deferred where members are
# loaded with what they wrote.
UNSHOWN_MEMBER_FIELDS = (
    "password", "last_login", "first_name", "last_name", "email", "signature", "ban_reason",
    "unread_notifications",
)  # fmt: skip


def panel_fields(relation: str) -> list[str]:
    """``PANEL_FIELDS`` of the member at ``relation``, for ``QuerySet.only()``."""
    return [f"{relation}__{name}" for name in PANEL_FIELDS]


class UserQuerySet(models.QuerySet):
    def active(self) -> UserQuerySet:
        return self.filter(is_active=True)


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    """The user manager, with the queryset's methods."""
