"""Write operations on reactions, and the reputation they add up to.

A member's reputation is the sum of the weights of the reactions their posts
received, counting posts that are shown in shown topics. Reacting changes it
incrementally, under the post's row lock; hiding or showing a post, or a
change to a reaction type, recounts it (``recount_reputation``).

Lock order, the same everywhere: the post row, then the member row. Moderation
(or anything else) that changes ``Post.hidden`` or ``Topic.hidden`` calls
``on_post_visibility_changed`` / ``on_topic_visibility_changed`` afterwards, in
its transaction or after it commits; either way the recount is right.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from forum import pagecache
from forum.notifications import services as notifications
from forum.posts.models import Post
from forum.reactions.models import Reaction, ReactionType

if TYPE_CHECKING:
    from accounts.models import User
    from forum.threads.models import Topic


def _lock_post(post: Post) -> Post:
    """Take ``post``'s row lock and read what decides whether its reactions count."""
    return (
        Post.objects.select_for_update(of=("self",))
        .select_related("topic")
        .only("pk", "author_id", "hidden", "topic__hidden")
        .get(pk=post.pk)
    )


def _counts_for_reputation(post: Post) -> bool:
    return post.author_id is not None and not post.hidden and not post.topic.hidden


def _add_to_reputation(post: Post, delta: int) -> None:
    if delta and _counts_for_reputation(post):
        get_user_model().objects.filter(pk=post.author_id).update(
            reputation=F("reputation") + delta
        )


@transaction.atomic
def react_to_post(
    post: Post,
    *,
    user: User,
    reaction_type: ReactionType,
    at: datetime | None = None,
    notify: bool = True,
) -> Reaction:
    """Give ``user``'s reaction to ``post``, or change it to ``reaction_type``.

    Holds the post's row lock, so reactions to one post are applied one at a
    time: a double click or two tabs giving the same reaction leave one row
    and count once. Giving the reaction the member already gave changes
    nothing. The caller has checked ``permissions.check_react``. ``at``
    backdates the reaction (imports and demo content). A new reaction (not a
    changed one) notifies the author through a task, unless ``notify`` is false.
    """
    locked = _lock_post(post)
    now = at or timezone.now()
    existing = Reaction.objects.filter(post=locked, user=user).select_related("type").first()
    if existing is not None and existing.type_id == reaction_type.pk:
        return existing
    if existing is None:
        reaction = Reaction.objects.create(
            post=locked, user=user, type=reaction_type, created_at=now
        )
        old_weight = 0
        if notify:
            notifications.reaction_added(locked, user=user)
    else:
        old_weight = existing.type.weight
        existing.type = reaction_type
        existing.created_at = now
        existing.save(update_fields=["type", "created_at"])
        reaction = existing
    _add_to_reputation(locked, reaction_type.weight - old_weight)
    pagecache.topic_changed(locked.topic_id)
    return reaction


@transaction.atomic
def remove_reaction(post: Post, *, user: User, reaction_type: ReactionType | None = None) -> bool:
    """Take back ``user``'s reaction to ``post``; return whether there was one to take.

    With ``reaction_type``, only a reaction of that type is removed: a
    "remove Like" sent from a stale tab does not remove the "Thanks" given
    since in another one.
    """
    locked = _lock_post(post)
    existing = Reaction.objects.filter(post=locked, user=user).select_related("type").first()
    if existing is None or (reaction_type is not None and existing.type_id != reaction_type.pk):
        return False
    existing.delete()
    _add_to_reputation(locked, -existing.type.weight)
    pagecache.topic_changed(locked.topic_id)
    return True


# --- Reputation recounts ---------------------------------------------------------


def reputation_of(user_id: int) -> int:
    """A member's reputation computed from the rows."""
    received = Reaction.objects.received_by(user_id).counted()
    return received.aggregate(total=Sum("type__weight"))["total"] or 0


@transaction.atomic
def recount_reputation(user: User | int) -> int:
    """Recompute a member's reputation from the reactions their shown posts received.

    Takes the member's row lock before reading, so an incremental update
    racing with it is applied after it, never lost.
    """
    user_id = user if isinstance(user, int) else user.pk
    user_model = get_user_model()
    if not list(user_model.objects.select_for_update().filter(pk=user_id).values_list("pk")):
        return 0
    total = reputation_of(user_id)
    user_model.objects.filter(pk=user_id).update(reputation=total)
    if not isinstance(user, int):
        user.reputation = total
    return total


def recount_reputations(user_ids: Iterable[int]) -> None:
    for user_id in sorted(set(user_ids)):
        recount_reputation(user_id)


def recount_all_reputation() -> int:
    """Recompute every member's reputation; return how many were wrong."""
    user_model = get_user_model()
    totals = dict(
        Reaction.objects.counted()
        .values("post__author_id")
        .order_by()
        .annotate(total=Sum("type__weight"))
        .values_list("post__author_id", "total")
    )
    changed = 0
    for user_id, stored in user_model.objects.values_list("pk", "reputation").iterator():
        if totals.get(user_id, 0) != stored:
            recount_reputation(user_id)
            changed += 1
    return changed


def on_post_visibility_changed(post: Post) -> None:
    """Call after ``post.hidden`` changed (moderation): recount its author's reputation."""
    if post.author_id is not None:
        recount_reputation(post.author_id)


def authors_reacted_to(**filters: Any) -> list[int]:
    """The authors of posts with reactions matching ``filters`` (one query)."""
    return list(
        Reaction.objects.filter(**filters, post__author__isnull=False)
        .values_list("post__author_id", flat=True)
        .distinct()
    )


def on_topic_visibility_changed(topic: Topic) -> None:
    """Call after ``topic.hidden`` changed: recount the reputation of its reacted-to authors."""
    recount_reputations(authors_reacted_to(post__topic=topic))


# Deletions that bypass the services (a post, a member or a reaction type
# deleted in the admin) recount the members they affect once their
# transaction commits; many deletions in one transaction recount each member
# once. The pending ids live on the connection, beside the callback that will
# use them: a transaction or savepoint that rolls back drops that callback,
# and the next call then starts afresh instead of inheriting its ids.
_PENDING = "agora_reputation_pending"


def recount_after_commit(user_ids: Iterable[int]) -> None:
    """Recount these members' reputation when the current transaction commits."""
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        recount_reputations(ids)
        return
    pending = getattr(connection, _PENDING, None)
    registered = any(entry[1] is _recount_pending for entry in connection.run_on_commit)
    if pending is None or not registered:
        pending = set()
        setattr(connection, _PENDING, pending)
        transaction.on_commit(_recount_pending)
    pending.update(ids)


def _recount_pending() -> None:
    connection = transaction.get_connection()
    ids = getattr(connection, _PENDING, None) or set()
    setattr(connection, _PENDING, None)
    recount_reputations(ids)
