"""Write operations on forums. Counters are kept here, in the caller's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import F, Q

from forum.boards.models import Forum


def note_new_post(
    forum_id: int,
    *,
    post_id: int,
    topic_id: int,
    topic_title: str,
    poster: Any,
    at: datetime,
    new_topic: bool,
) -> None:
    """Count a new post (and topic) in a forum and make it the forum's last post.

    Call inside the transaction that created the post. Counters use F() so
    concurrent replies never lose an update; the last-post columns only move
    forward in time.
    """
    Forum.objects.filter(pk=forum_id).update(
        post_count=F("post_count") + 1,
        topic_count=F("topic_count") + (1 if new_topic else 0),
    )
    Forum.objects.filter(pk=forum_id).filter(
        Q(last_post_at__isnull=True) | Q(last_post_at__lte=at)
    ).update(
        last_post_id=post_id,
        last_post_at=at,
        last_topic_id=topic_id,
        last_topic_title=topic_title[:200],
        last_poster=poster,
    )
