"""Read helpers for following and unread state: what pages show a member.

A topic is unread for a member when it has a post after their cut-off (the
later of: joining, ``AGORA_UNREAD_DAYS`` ago, "Mark all read", "Mark forum
read") and after the position they have read up to (``TopicUser``). Topic
lists add the read position to their own query (a subquery), so unread
markers cost one query for the read markers, whatever the number of topics.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from forum import permissions
from forum.notifications.models import ForumFollow, ForumReadMarker, Notification, TopicUser
from forum.posts.models import Post
from forum.threads.models import Topic


def topic_reader(user: Any, topic: Topic, *, shown_posts: Sequence[int] = ()) -> TopicUser | None:
    """The member's read position and follow state in ``topic`` (one query; none for guests).

    Given the posts a page shows, the row also says (``notified``) whether any
    of the member's unread notifications is about one of them, in the same
    query; a member with none unread (their bell counter) is not asked.
    """
    if not permissions.can_follow(user):
        return None
    rows = TopicUser.objects.filter(user=user, topic=topic)
    if shown_posts and user.unread_notifications:
        notified = Notification.objects.in_bell(user).read_by_seeing(shown_posts)
        rows = rows.annotate(notified=Exists(notified))
    return rows.first()


def may_have_seen_notifications(user: Any, reader: TopicUser | None) -> bool:
    """Whether a topic page may have answered unread notifications of ``user``, as far
    as their bell counter and ``topic_reader``'s row tell without another query.

    Without a row (their first view of the topic) only the write can tell.
    """
    if not user.unread_notifications:
        return False
    return reader is None or getattr(reader, "notified", False)


def follows_forum(user: Any, forum_id: int) -> bool:
    return ForumFollow.objects.filter(user=user, forum_id=forum_id).exists()


def base_cutoff(user: Any, now: datetime | None = None) -> datetime:
    """Before this, nothing is unread for ``user`` (their joining, or the unread horizon)."""
    now = now or timezone.now()
    horizon = now - timedelta(days=settings.AGORA_UNREAD_DAYS)
    return max(horizon, user.date_joined)


def read_markers(user: Any) -> dict[int | None, datetime]:
    """The member's "Mark forum read" times by forum id, and "Mark all read" under None."""
    return dict(ForumReadMarker.objects.filter(user=user).values_list("forum_id", "read_at"))


def cutoff(user: Any, forum_id: int, markers: dict[int | None, datetime]) -> datetime:
    times = [base_cutoff(user), markers.get(None), markers.get(forum_id)]
    return max(t for t in times if t is not None)


def with_read_position(topics: QuerySet[Topic], user: Any) -> QuerySet[Topic]:
    """Add the member's read position (``read_position``, None if never opened) to a topic
    query: a subquery in the same query."""
    return topics.annotate(
        read_position=Subquery(
            TopicUser.objects.filter(user=user, topic=OuterRef("pk")).values("last_read_position")[
                :1
            ]
        )
    )


def is_unread(topic: Topic, after: datetime) -> bool:
    """Whether ``topic`` (with ``read_position``) has posts after ``after`` the member
    has not read."""
    if topic.last_post_at <= after:
        return False
    position = getattr(topic, "read_position", None)
    return position is None or position < topic.last_position


def mark_unread(topics: list[Topic], user: Any) -> None:
    """Set ``is_unread`` on listed topics (queried ``with_read_position``): one query
    for the member's read markers, none for a guest."""
    if not permissions.can_follow(user):
        for topic in topics:
            topic.is_unread = False
        return
    markers = read_markers(user) if topics else {}
    for topic in topics:
        topic.is_unread = is_unread(topic, cutoff(user, topic.forum_id, markers))


def unread_topics(user: Any) -> QuerySet[Topic]:
    """The topics ``user`` may see that have posts they have not read, latest activity
    first, in one query (with the read markers read first)."""
    markers = read_markers(user)
    since = max(t for t in (base_cutoff(user), markers.get(None)) if t is not None)
    topics = permissions.visible_topics(user, Topic.objects.filter(last_post_at__gt=since))
    forum_marks = [
        Q(forum_id=forum_id, last_post_at__lte=read_at)
        for forum_id, read_at in markers.items()
        if forum_id is not None
    ]
    for mark in forum_marks:
        topics = topics.exclude(mark)
    return (
        with_read_position(topics, user)
        .filter(Q(read_position__isnull=True) | Q(read_position__lt=F("last_position")))
        .select_related("forum", "author", "last_poster")
        .order_by("-last_post_at", "-id")
    )


def first_unread_post(user: Any, topic: Topic, reader: TopicUser | None) -> Post | None:
    """The first post of ``topic`` the member has not read, or None when they have read it all."""
    posts = permissions.visible_posts_in_topic(
        user, Post.objects.filter(topic=topic).select_related("topic")
    )
    if reader is not None and reader.last_read_position > 0:
        posts = posts.filter(position__gt=reader.last_read_position)
    else:
        posts = posts.filter(created_at__gt=cutoff(user, topic.forum_id, read_markers(user)))
    return posts.order_by("position").first()
