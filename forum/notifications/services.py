"""Write operations of notifications, following and read state.

The other apps call these explicitly from their own services:

- ``post_created`` from ``forum.posts.services.start_topic`` / ``reply_to_topic``,
  and ``post_approved`` when moderation shows a post it held back;
- ``post_edited`` from ``forum.posts.services.edit_post``;
- ``reaction_added`` from ``forum.reactions.services.react_to_post``;
- ``notify`` for one member (``forum.posts.services.recommend_post``), and
  ``notify_moderation_outcome`` for moderation (reports, hiding, approval).

Each does the small synchronous part (the author's own follow and read
state) in the caller's transaction and hands the rest to a task: nobody's
request waits while followers are notified.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Model, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from forum.notifications import tasks
from forum.notifications.models import (
    Channel,
    ForumFollow,
    ForumReadMarker,
    Kind,
    Notification,
    NotificationSettings,
    TopicUser,
)
from forum.tasks import enqueue_on_commit

if TYPE_CHECKING:
    from accounts.models import User
    from forum.boards.models import Forum
    from forum.posts.models import Post
    from forum.threads.models import Topic


# --- Events from the other apps -------------------------------------------------------


def post_created(
    post: Post,
    *,
    new_topic: bool,
    quoted_user_ids: Sequence[int] = (),
    mentioned_user_ids: Sequence[int] = (),
    notify_others: bool = True,
) -> None:
    """A post was saved: its author has read up to it (and follows the topic when
    they chose to), and a task tells whom it quotes and mentions and the followers.

    Runs in the caller's transaction. ``notify_others=False`` (imports, demo
    content) keeps only the author's own state.
    """
    author = post.author
    if author is not None:
        _note_own_post(author, post)
    if notify_others:
        enqueue_on_commit(
            tasks.notify_new_post,
            post.pk,
            new_topic,
            _ids(quoted_user_ids),
            _ids(mentioned_user_ids),
        )


def post_approved(post: Post, *, new_topic: bool) -> None:
    """A post held back until a moderator approved it is shown now: tell whom it
    quotes and mentions, and the followers, as for a new post (nobody twice)."""
    enqueue_on_commit(tasks.notify_approved_post, post.pk, new_topic)


def post_edited(
    post: Post, *, quoted_user_ids: Sequence[int] = (), mentioned_user_ids: Sequence[int] = ()
) -> None:
    """A post was edited: tell whom it quotes or mentions now (nobody twice)."""
    if quoted_user_ids or mentioned_user_ids:
        enqueue_on_commit(
            tasks.notify_references, post.pk, _ids(quoted_user_ids), _ids(mentioned_user_ids)
        )


def reaction_added(post: Post, *, user: User) -> None:
    """``user`` reacted to ``post``: its author hears of it (grouped per post)."""
    if post.author_id is not None and post.author_id != user.pk:
        enqueue_on_commit(tasks.notify_reaction, post.pk, user.pk)


def notify(
    kind: str,
    *,
    recipient: User | int | None,
    actor: User | int | None = None,
    post: Post | int | None = None,
    topic: Topic | int | None = None,
    outcome: str = "",
    message: str = "",
    key: str | None = None,
) -> None:
    """Notify one member of something, through a task, on the channel they chose for ``kind``.

    ``key`` makes it once-only (default ``"<kind>:<post or topic id>"``): a
    second call with the same key tells nobody again. The recipient must be
    able to see ``post`` (except for moderation outcomes); an ``actor`` is
    never notified of their own doing. No recipient (a deleted member's
    post): nothing happens.
    """
    recipient_id = _pk(recipient)
    if recipient_id is None:
        return
    post_id = _pk(post)
    topic_id = _pk(topic)
    if key is None:
        key = f"{kind}:{post_id if post_id is not None else topic_id}"
    enqueue_on_commit(
        tasks.notify_member,
        str(kind),
        recipient_id,
        key[:120],
        _pk(actor),
        post_id,
        topic_id,
        str(outcome),
        message[:500],
    )


def notify_moderation_outcome(
    outcome: str,
    *,
    recipient: User | int | None,
    actor: User | int | None = None,
    post: Post | int | None = None,
    topic: Topic | int | None = None,
    reason: str = "",
    key: str | None = None,
) -> None:
    """Tell a member what moderation did about their post, topic or report.

    ``outcome`` is a ``Notification.Outcome`` value ("post_hidden",
    "post_approved", "report_resolved", ...); ``reason`` is shown to them as
    written. Each call notifies once, however often its task is retried;
    pass ``key`` (e.g. ``f"report:{report.pk}"``) to make repeated calls for
    one event notify once too.
    """
    if outcome not in Notification.Outcome.values:
        raise ValueError(f"unknown moderation outcome {outcome!r}")
    target = f"p{_pk(post)}" if post is not None else f"t{_pk(topic)}"
    if key is None:
        key = f"{outcome}:{target}:{timezone.now().timestamp():.6f}"
    notify(
        Kind.MODERATION,
        recipient=recipient,
        actor=actor,
        post=post,
        topic=topic,
        outcome=outcome,
        message=reason,
        key=f"moderation:{key}",
    )


def _pk(value: object) -> int | None:
    if value is None:
        return None
    return value if isinstance(value, int) else value.pk  # type: ignore[attr-defined]


def _ids(values: Sequence[int]) -> list[int]:
    return sorted({int(v) for v in values if v is not None})


# --- Following and read state ---------------------------------------------------------


def _note_own_post(author: User, post: Post) -> None:
    """The author has read up to their post, and follows the topic if they auto-follow."""
    now = timezone.now()
    follow = bool(author.auto_follow)
    row, created = TopicUser.objects.get_or_create(
        user=author,
        topic_id=post.topic_id,
        defaults={
            "last_read_position": post.position,
            "last_read_at": now,
            "following": True if follow else None,
            "followed_at": now if follow else None,
        },
    )
    if created:
        return
    if row.last_read_position < post.position:
        TopicUser.objects.filter(pk=row.pk, last_read_position__lt=post.position).update(
            last_read_position=post.position, last_read_at=now
        )
    if follow and row.following is None:
        TopicUser.objects.filter(pk=row.pk, following__isnull=True).update(
            following=True, followed_at=now
        )


def follow_topic(user: User, topic: Topic, *, following: bool) -> None:
    """Follow or unfollow a topic; an unfollow sticks (replying does not follow it again)."""
    _update_or_insert(
        TopicUser,
        {"user": user, "topic": topic},
        following=following,
        followed_at=timezone.now() if following else None,
    )


def _update_or_insert(model: type[Model], keys: dict[str, Any], **values: Any) -> None:
    """Set ``values`` on the row of ``model`` with the unique ``keys``, inserting it if missing.

    No lock: when a racing insert (the member's own first view) wins the
    conflict, the second UPDATE sets the values on the row it made.
    """
    rows = model.objects.filter(**keys)
    if rows.update(**values):
        return
    model.objects.bulk_create([model(**keys, **values)], ignore_conflicts=True)
    rows.update(**values)


def follow_forum(user: User, forum: Forum, *, following: bool) -> None:
    """Follow (hear of every new topic) or unfollow a forum."""
    if following:
        ForumFollow.objects.bulk_create(
            [ForumFollow(user=user, forum=forum)], ignore_conflicts=True
        )
    else:
        ForumFollow.objects.filter(user=user, forum=forum).delete()


def advance_read_position(
    user: User, topic: Topic, position: int, *, current: TopicUser | None
) -> None:
    """Record that ``user`` has seen ``topic`` up to ``position``: one write, and
    only when that is further than ``current`` (their row, as read by the page)."""
    now = timezone.now()
    if current is None:
        TopicUser.objects.bulk_create(
            [TopicUser(user=user, topic=topic, last_read_position=position, last_read_at=now)],
            ignore_conflicts=True,
        )
    elif current.last_read_position < position:
        # Conditional: two tabs racing never move the marker backwards.
        TopicUser.objects.filter(pk=current.pk, last_read_position__lt=position).update(
            last_read_position=position, last_read_at=now
        )


def mark_forum_read(user: User, forum: Forum) -> None:
    """Everything now in ``forum`` counts as read for ``user``."""
    _set_marker(user, forum)


def mark_all_read(user: User) -> None:
    """Everything now in every forum counts as read for ``user``."""
    _set_marker(user, None)


def _set_marker(user: User, forum: Forum | None) -> None:
    _update_or_insert(ForumReadMarker, {"user": user, "forum": forum}, read_at=timezone.now())


# --- The bell ---------------------------------------------------------------------------


def _bell_minus(user_id: int, count: int) -> None:
    get_user_model().objects.filter(pk=user_id).update(
        unread_notifications=Greatest(F("unread_notifications") - count, Value(0))
    )


def mark_notification_read(notification: Notification) -> bool:
    """Mark one notification read; return whether it was unread."""
    changed = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if changed and notification.shown:
        _bell_minus(notification.recipient_id, 1)
    return bool(changed)


def mark_seen_notifications_read(user: User, post_ids: Sequence[int]) -> int:
    """A page showed ``user`` the posts ``post_ids``: the unread notifications those
    posts answer are read now (``read_by_seeing``). Return how many.

    One UPDATE, and one more for the bell counter when any was unread; the
    member's object carries the new count, so this response's bell shows it.
    No transaction, as for ``mark_notification_read``: a counter left wrong by a
    crash between the two is put right by the notifications page.
    """
    if not post_ids:
        return 0
    changed = (
        Notification.objects.in_bell(user).read_by_seeing(post_ids).update(read_at=timezone.now())
    )
    if changed:
        _bell_minus(user.pk, changed)
        user.unread_notifications = max(0, user.unread_notifications - changed)
    return changed


@transaction.atomic
def mark_all_notifications_read(user: User) -> int:
    """Mark every notification of ``user`` read; return how many were unread."""
    changed = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    get_user_model().objects.filter(pk=user.pk).update(unread_notifications=0)
    user.unread_notifications = 0
    return changed


def recount_unread(user: User | int) -> int:
    """Set a member's bell count from their rows; return it."""
    user_id = _pk(user)
    count = Notification.objects.in_bell(user_id).count()
    get_user_model().objects.filter(pk=user_id).exclude(unread_notifications=count).update(
        unread_notifications=count
    )
    if not isinstance(user, int):
        user.unread_notifications = count
    return count


def recount_all_unread() -> int:
    """Recount every member's bell; return how many were wrong."""
    changed = 0
    user_model = get_user_model()
    for user_id, stored in user_model.objects.values_list("pk", "unread_notifications").iterator():
        if recount_unread(user_id) != stored:
            changed += 1
    return changed


# --- Preferences ----------------------------------------------------------------------------


def update_notification_settings(
    user: User, *, channels: dict[str, str], email_digest: bool
) -> NotificationSettings:
    """Save a member's channel for each kind, and whether e-mails come as a digest."""
    clean = {k: v for k, v in channels.items() if k in Kind.values and v in Channel.values}
    prefs, _ = NotificationSettings.objects.update_or_create(
        user=user, defaults={"channels": clean, "email_digest": email_digest}
    )
    return prefs


def unsubscribe(user_id: int, kind: str) -> bool:
    """Stop e-mails of ``kind`` to a member (in-app notices stay); return whether they changed."""
    prefs, _ = NotificationSettings.objects.get_or_create(user_id=user_id)
    current = prefs.channel(kind)
    new = {Channel.BOTH: Channel.APP, Channel.EMAIL: Channel.NONE}.get(current)
    if new is None:
        return False
    prefs.channels = {**prefs.channels, kind: str(new)}
    prefs.save(update_fields=["channels"])
    # E-mails of that kind still waiting (digest) are dropped too.
    Notification.objects.filter(recipient_id=user_id, kind=kind, email_pending=True).update(
        email_pending=False
    )
    return True
