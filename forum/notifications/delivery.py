"""Writing notifications in bulk: who is told, on which channel, exactly once.

Called from the tasks in ``forum.notifications.tasks``, never per recipient in
a request. Each function returns the ids of the notifications that owe an
e-mail now; the task enqueues their sending.

Exactly once: every notification has a key ("reply:<post id>") unique per
recipient. A batch reads which recipients already have the key, inserts the
others (ignoring a conflict with a racing run) and adds one to their bell
counter; a retried task finds every row there and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from forum import permissions
from forum.notifications.models import (
    Channel,
    ForumFollow,
    Kind,
    Notification,
    NotificationSettings,
    TopicUser,
    channel_for,
)
from forum.posts.models import Post
from forum.reactions.models import Reaction

WANTS_APP = frozenset({Channel.APP, Channel.BOTH})
WANTS_EMAIL = frozenset({Channel.EMAIL, Channel.BOTH})


def load_post(post_id: int | None) -> Post | None:
    if post_id is None:
        return None
    return Post.objects.select_related("topic__forum").filter(pk=post_id).first()


class _AnyMember:
    """Stands for a signed-in member with no permission at all and no post of their own."""

    pk = id = -1
    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = False
    is_staff = False
    is_banned = False
    banned_at = banned_until = None
    browse_invisibly = False

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return False


def who_may_see(post: Post, user_ids: Iterable[int]) -> list[int]:
    """The active members among ``user_ids`` who may see ``post``, in one query.

    When a member with no permission at all may see it, every member may, and
    nobody is checked one by one; otherwise (moderators-only forums, hidden
    posts: a handful of people) each member's permissions decide, through
    the same rules as the pages (``permissions.can_see_post``).
    """
    ids = set(user_ids)
    if not ids:
        return []
    if permissions.can_see_post(_AnyMember(), post):
        return _active(ids)
    return [member.pk for member in _active_members(ids) if permissions.can_see_post(member, post)]


def _active_members(user_ids: set[int]) -> QuerySet[Any]:
    return get_user_model().objects.active().filter(pk__in=sorted(user_ids)).order_by("pk")


def _active(user_ids: Iterable[int]) -> list[int]:
    ids = set(user_ids)
    if not ids:
        return []
    return list(_active_members(ids).values_list("pk", flat=True))


def deliver(
    kind: str,
    recipient_ids: Iterable[int],
    *,
    key: str,
    actor_id: int | None = None,
    actor_count: int = 1,
    post: Post | None = None,
    topic_id: int | None = None,
    outcome: str = "",
    message: str = "",
) -> list[int]:
    """Notify ``recipient_ids`` (who may receive it: the caller checked) of one event.

    Each gets it on the channel they chose for ``kind``; nobody gets ``key``
    twice. Returns the ids of the new notifications that owe an e-mail.
    """
    ids = sorted(set(recipient_ids) - {actor_id})
    if not ids:
        return []
    chosen = dict(
        NotificationSettings.objects.filter(user_id__in=ids).values_list("user_id", "channels")
    )
    channels = {uid: channel_for(chosen.get(uid), kind) for uid in ids}
    wanted = [uid for uid in ids if channels[uid] != Channel.NONE]
    if not wanted:
        return []
    already = set(
        Notification.objects.filter(key=key, recipient_id__in=wanted).values_list(
            "recipient_id", flat=True
        )
    )
    new = [uid for uid in wanted if uid not in already]
    if not new:
        return []
    now = timezone.now()
    rows = []
    for uid in new:
        shown = channels[uid] in WANTS_APP
        rows.append(
            Notification(
                recipient_id=uid,
                kind=kind,
                key=key,
                actor_id=actor_id,
                actor_count=actor_count,
                post=post,
                topic_id=topic_id if topic_id is not None else (post.topic_id if post else None),
                outcome=outcome,
                message=message[:500],
                created_at=now,
                updated_at=now,
                shown=shown,
                read_at=None if shown else now,
                email_pending=channels[uid] in WANTS_EMAIL,
            )
        )
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        bell = [row.recipient_id for row in rows if row.shown]
        if bell:
            get_user_model().objects.filter(pk__in=bell).update(
                unread_notifications=F("unread_notifications") + 1
            )
    by_email = [row.recipient_id for row in rows if row.email_pending]
    if not by_email:
        return []
    return list(
        Notification.objects.filter(
            key=key, recipient_id__in=by_email, email_pending=True
        ).values_list("pk", flat=True)
    )


# --- Events --------------------------------------------------------------------------


def _follower_batches(
    follows: Any, field: str, exclude: set[int], batch_size: int
) -> Iterator[list[int]]:
    """Follower ids in batches, in id order (keyset pagination on the follow index)."""
    last = 0
    while True:
        batch = list(
            follows.filter(**{f"{field}__gt": last})
            .order_by(field)
            .values_list(field, flat=True)[:batch_size]
        )
        if not batch:
            return
        last = batch[-1]
        yield [uid for uid in batch if uid not in exclude]


def process_post(
    post_id: int, *, new_topic: bool, quoted: list[int], mentioned: list[int]
) -> list[int]:
    """Tell everyone about a new post: whom it quotes and mentions, then the followers
    of its topic (a reply) or forum (a new topic), in batches.

    A member quoted or mentioned hears of that, not also of a reply in a topic
    they follow.
    """
    post = load_post(post_id)
    if post is None:
        return []
    emails = process_references(post, quoted=quoted, mentioned=mentioned)
    told = set(quoted) | set(mentioned) | {post.author_id}
    if new_topic:
        kind, key = Kind.TOPIC, f"topic:{post.topic_id}"
        follows = ForumFollow.objects.filter(forum_id=post.topic.forum_id)
    else:
        kind, key = Kind.REPLY, f"reply:{post.pk}"
        follows = TopicUser.objects.filter(topic_id=post.topic_id, following=True)
    batch_size = settings.AGORA_NOTIFICATION_BATCH
    for batch in _follower_batches(follows, "user_id", told, batch_size):
        emails += deliver(
            kind, who_may_see(post, batch), key=key, actor_id=post.author_id, post=post
        )
    return emails


def process_references(post: Post | int, *, quoted: list[int], mentioned: list[int]) -> list[int]:
    """Notify the members a post quotes and @mentions (once per post each)."""
    if isinstance(post, int):
        post = load_post(post)
        if post is None:
            return []
    emails = []
    quoted_ids = [uid for uid in quoted if uid != post.author_id]
    if quoted_ids:
        emails += deliver(
            Kind.QUOTE,
            who_may_see(post, quoted_ids),
            key=f"quote:{post.pk}",
            actor_id=post.author_id,
            post=post,
        )
    mentioned_ids = [uid for uid in mentioned if uid != post.author_id and uid not in quoted_ids]
    mentioned_ids = mentioned_ids[: settings.AGORA_MENTIONS_MAX]
    if mentioned_ids:
        emails += deliver(
            Kind.MENTION,
            who_may_see(post, mentioned_ids),
            key=f"mention:{post.pk}",
            actor_id=post.author_id,
            post=post,
        )
    return emails


# An e-mail-only member hears of new reactions to one post at most this often.
REACTION_EMAIL_INTERVAL = timedelta(hours=1)


def process_reaction(post_id: int, reactor_id: int) -> list[int]:
    """Tell a post's author of a reaction; reactions to one post make one notification.

    "spidermike007 and 3 others reacted to your post": the newest reactor and
    how many reacted. A new reaction to a notification already read makes it
    unread again (and owes a new e-mail); one still unread is only updated.
    """
    post = load_post(post_id)
    if post is None or post.author_id is None or post.author_id == reactor_id:
        return []
    author_id = post.author_id
    if not who_may_see(post, [author_id]) or not _active([reactor_id]):
        return []
    if not Reaction.objects.filter(post_id=post_id, user_id=reactor_id).exists():
        return []  # taken back before we got here
    chosen = NotificationSettings.objects.filter(user_id=author_id).first()
    channel = chosen.channel(Kind.REACTION) if chosen else channel_for({}, Kind.REACTION)
    if channel == Channel.NONE:
        return []
    key = f"reaction:{post_id}"
    reactors = max(1, Reaction.objects.filter(post_id=post_id).count())
    with transaction.atomic():
        # The row lock makes concurrent reactions to one post update it one at a time.
        existing = (
            Notification.objects.select_for_update().filter(recipient_id=author_id, key=key).first()
        )
        if existing is None:
            return deliver(
                Kind.REACTION,
                [author_id],
                key=key,
                actor_id=reactor_id,
                actor_count=reactors,
                post=post,
            )
        if existing.actor_id == reactor_id and existing.actor_count == reactors:
            return []  # this reaction was told already (a retried task)
        now = timezone.now()
        reopen = existing.shown and existing.read_at is not None
        existing.actor_id = reactor_id
        existing.actor_count = reactors
        existing.updated_at = now
        fields = ["actor", "actor_count", "updated_at"]
        if reopen:
            existing.read_at = None
            fields.append("read_at")
            get_user_model().objects.filter(pk=author_id).update(
                unread_notifications=F("unread_notifications") + 1
            )
        if existing.shown:
            owes_email = reopen
        else:
            last = existing.emailed_at
            owes_email = last is None or last < now - REACTION_EMAIL_INTERVAL
        if channel in WANTS_EMAIL and owes_email and not existing.email_pending:
            existing.email_pending = True
            existing.emailed_at = None
            fields += ["email_pending", "emailed_at"]
        existing.save(update_fields=fields)
        return [existing.pk] if existing.email_pending else []


def process_direct(
    kind: str,
    recipient_id: int,
    *,
    key: str,
    actor_id: int | None = None,
    post_id: int | None = None,
    topic_id: int | None = None,
    outcome: str = "",
    message: str = "",
) -> list[int]:
    """One notification to one member (a recommendation, a moderation outcome).

    A moderation outcome reaches its member whether or not they may still see
    the post (a hidden post is the news); other kinds need them to see it.
    """
    post = load_post(post_id)
    if post_id is not None and post is None:
        return []
    if kind != Kind.MODERATION and post is not None:
        recipients = who_may_see(post, [recipient_id])
    else:
        recipients = _active([recipient_id])
    return deliver(
        kind,
        recipients,
        key=key,
        actor_id=actor_id,
        post=post,
        topic_id=topic_id,
        outcome=outcome,
        message=message,
    )
