"""Moderation: every change a moderator makes, each in one transaction with its log line.

The topic page tools and the admin actions call these same functions, so a
topic locked from either place leaves the same ``ModerationAction`` row.
Nothing here deletes content, except ``delete_post`` and ``delete_topic``
(superusers only, checked by the callers through ``forum.permissions``).

Counters follow visibility. A post is *counted* when it is neither hidden nor
awaiting approval, and its topic is counted on the same terms; forum counts
and member post counts include a post only when both are. ``hide_post``,
``unhide_post``, ``approve_post``, ``reject_post`` (and ``delete_post``) are
the only places that change whether a post is counted, through
``_post_visibility_changed``; the topic-level services go through
``_topic_visibility_changed``. Reputation (``forum.reactions``) must follow
visibility too: call its hook from those two functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from forum import pagecache
from forum.boards.models import Forum
from forum.humanize import exact_time
from forum.moderation.models import ModerationAction, Report
from forum.notifications import services as notifications
from forum.notifications.models import Notification
from forum.posts import services as post_services
from forum.posts.models import Post
from forum.reactions import services as reaction_services
from forum.threads.models import Topic

Outcome = Notification.Outcome

if TYPE_CHECKING:
    from accounts.models import User

Kind = ModerationAction.Kind


class ModerationError(Exception):
    """A moderation request that cannot be carried out; the message says why."""


# --- The log ------------------------------------------------------------------


def describe(target: Any) -> str:
    """How the log names an object, as it was when the action happened."""
    if isinstance(target, Post):
        author = target.author.username if target.author_id else _("a former member")
        text = _("Post #%(id)s by %(author)s in “%(topic)s”") % {
            "id": target.pk,
            "author": author,
            "topic": target.topic.title,
        }
    elif isinstance(target, Topic):
        text = _("Topic “%(title)s”") % {"title": target.title}
    elif isinstance(target, Report):
        text = _("Report #%(id)s on post #%(post)s") % {"id": target.pk, "post": target.post_id}
    else:
        text = str(target)
    return text[:200]


def log_action(
    target: Any, *, actor: User, action: str, reason: str = "", details: str = ""
) -> ModerationAction:
    """Write one line of the moderation log.

    Every moderator's action passes here, so here guests' cached pages are
    told that what they show may have changed (hidden, moved, locked...).
    """
    pagecache.changed("site")
    return ModerationAction.objects.create(
        actor=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        object_repr=describe(target),
        reason=reason,
        details=details[:500],
    )


# --- Counters -------------------------------------------------------------------


def _topic_counted(topic: Topic) -> bool:
    return not topic.hidden and not topic.pending


def _post_counted(post: Post) -> bool:
    return not post.hidden and not post.pending


def _post_visibility_changed(post: Post, topic: Topic, *, was_counted: bool) -> None:
    """Bring every counter in line after ``post`` was shown or taken out of view.

    Call inside the transaction that changed ``post``, with the topic's row
    lock held. ``topic`` carries the topic's current hidden/pending state.
    """
    post_services.recount_topic(topic)
    # Reactions to a hidden post stop counting towards its author's reputation.
    reaction_services.on_post_visibility_changed(post)
    now_counted = _post_counted(post)
    if was_counted == now_counted or not _topic_counted(topic):
        return
    delta = 1 if now_counted else -1
    Forum.objects.filter(pk=topic.forum_id).update(post_count=F("post_count") + delta)
    if post.author_id:
        get_user_model().objects.filter(pk=post.author_id).update(
            post_count=F("post_count") + delta
        )
    post_services.refresh_forum_last_post(topic.forum_id)


def _counted_posts_by_author(topic: Topic) -> dict[int | None, int]:
    rows = (
        Post.objects.filter(topic=topic, hidden=False, pending=False)
        .values("author_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["author_id"]: row["n"] for row in rows}


def _add_topic_to_counts(topic: Topic, *, forum_id: int, sign: int) -> None:
    """Add (``sign`` 1) or remove (-1) a topic's counted posts from its forum and authors."""
    by_author = _counted_posts_by_author(topic)
    Forum.objects.filter(pk=forum_id).update(
        topic_count=F("topic_count") + sign,
        post_count=F("post_count") + sign * sum(by_author.values()),
    )
    user_model = get_user_model()
    for author_id, n in by_author.items():
        if author_id is not None:
            user_model.objects.filter(pk=author_id).update(post_count=F("post_count") + sign * n)


def _topic_visibility_changed(topic: Topic, *, was_counted: bool) -> None:
    """Bring forum and member counters in line after ``topic`` was shown or taken out of view.

    Call inside the transaction that changed ``topic``, with its row lock held.
    """
    reaction_services.on_topic_visibility_changed(topic)
    now_counted = _topic_counted(topic)
    if was_counted == now_counted:
        return
    _add_topic_to_counts(topic, forum_id=topic.forum_id, sign=1 if now_counted else -1)
    post_services.refresh_forum_last_post(topic.forum_id)


def _update(objs: tuple[Topic | Post, ...], **fields: Any) -> None:
    """Write ``fields`` to the row of ``objs[0]``, and to every copy in ``objs`` in memory.

    The services hold the locked row and the caller's copy of one object: both
    must show the change.
    """
    type(objs[0]).objects.filter(pk=objs[0].pk).update(**fields)
    for obj in objs:
        for key, value in fields.items():
            setattr(obj, key, value)


def _hidden(moderator: User, reason: str) -> dict[str, Any]:
    """The fields of a post or topic hidden now by ``moderator``."""
    return {
        "hidden": True,
        "hidden_at": timezone.now(),
        "hidden_by": moderator,
        "hidden_reason": reason[:500],
    }


# The fields of a post or topic shown again.
_SHOWN: dict[str, Any] = {
    "hidden": False,
    "hidden_at": None,
    "hidden_by": None,
    "hidden_reason": "",
}


def _lock_topic_row(topic_id: int) -> Topic:
    return Topic.objects.select_for_update(of=("self",)).select_related("forum").get(pk=topic_id)


def _lock_post_row(post_id: int) -> tuple[Post, Topic]:
    """Lock a post and its topic (topic first, as every writer does)."""
    topic_id = Post.objects.values_list("topic_id", flat=True).get(pk=post_id)
    topic = _lock_topic_row(topic_id)
    post = Post.objects.select_for_update(of=("self",)).select_related("author").get(pk=post_id)
    post.topic = topic
    return post, topic


# --- Topics ----------------------------------------------------------------------


@transaction.atomic
def _set_topic_flag(
    topic: Topic, field: str, value: bool, action: str, *, moderator: User, reason: str
) -> bool:
    locked = _lock_topic_row(topic.pk)
    if getattr(locked, field) == value:
        return False
    _update((locked, topic), **{field: value})
    log_action(locked, actor=moderator, action=action, reason=reason)
    return True


def lock_topic(topic: Topic, *, moderator: User, reason: str = "") -> bool:
    """Close a topic to replies; return False when it already was."""
    return _set_topic_flag(
        topic, "locked", True, Kind.TOPIC_LOCK, moderator=moderator, reason=reason
    )


def unlock_topic(topic: Topic, *, moderator: User, reason: str = "") -> bool:
    """Open a topic to replies again; return False when it was not locked."""
    return _set_topic_flag(
        topic, "locked", False, Kind.TOPIC_UNLOCK, moderator=moderator, reason=reason
    )


def pin_topic(topic: Topic, *, moderator: User, reason: str = "") -> bool:
    """Keep a topic at the top of its forum; return False when it already was."""
    return _set_topic_flag(
        topic, "pinned", True, Kind.TOPIC_PIN, moderator=moderator, reason=reason
    )


def unpin_topic(topic: Topic, *, moderator: User, reason: str = "") -> bool:
    """Let a topic sink with the others again; return False when it was not pinned."""
    return _set_topic_flag(
        topic, "pinned", False, Kind.TOPIC_UNPIN, moderator=moderator, reason=reason
    )


@transaction.atomic
def hide_topic(topic: Topic, *, moderator: User, reason: str) -> bool:
    """Take a topic out of view for everyone but moderators; return False if it already was."""
    locked = _lock_topic_row(topic.pk)
    if locked.hidden:
        return False
    was_counted = _topic_counted(locked)
    _update((locked, topic), **_hidden(moderator, reason))
    _topic_visibility_changed(locked, was_counted=was_counted)
    log_action(locked, actor=moderator, action=Kind.TOPIC_HIDE, reason=reason)
    notifications.notify_moderation_outcome(
        Outcome.TOPIC_HIDDEN, recipient=locked.author_id, actor=moderator, topic=locked,
        reason=reason,
    )  # fmt: skip
    return True


@transaction.atomic
def unhide_topic(topic: Topic, *, moderator: User, reason: str = "") -> bool:
    """Show a hidden topic again; return False if it was not hidden."""
    locked = _lock_topic_row(topic.pk)
    if not locked.hidden:
        return False
    was_counted = _topic_counted(locked)
    _update((locked, topic), **_SHOWN)
    _topic_visibility_changed(locked, was_counted=was_counted)
    log_action(locked, actor=moderator, action=Kind.TOPIC_UNHIDE, reason=reason)
    return True


@transaction.atomic
def move_topic(topic: Topic, *, to_forum: Forum, moderator: User, reason: str = "") -> bool:
    """Move a topic and its posts to another forum; return False if it is already there."""
    locked = _lock_topic_row(topic.pk)
    source = locked.forum
    if source.pk == to_forum.pk:
        return False
    counted = _topic_counted(locked)
    if counted:
        _add_topic_to_counts(locked, forum_id=source.pk, sign=-1)
    Topic.objects.filter(pk=locked.pk).update(forum=to_forum)
    locked.forum = topic.forum = to_forum
    if counted:
        _add_topic_to_counts(locked, forum_id=to_forum.pk, sign=1)
        post_services.refresh_forum_last_post(source.pk)
        post_services.refresh_forum_last_post(to_forum.pk)
    details = _("From “%(source)s” to “%(target)s”") % {
        "source": source.name,
        "target": to_forum.name,
    }
    log_action(locked, actor=moderator, action=Kind.TOPIC_MOVE, reason=reason, details=details)
    return True


@transaction.atomic
def merge_topics(target: Topic, *, sources: list[Topic], moderator: User, reason: str = "") -> int:
    """Move every post of ``sources`` into ``target``, in the order they were written.

    The posts of all the topics are numbered again by time, so pages stay
    ranges of positions; permalinks (``/post/<id>/``) keep working. Each
    emptied source topic is hidden with a note naming the target, never
    deleted. Returns how many posts moved.
    """
    source_ids = sorted({t.pk for t in sources} - {target.pk})
    if not source_ids:
        raise ModerationError(_("Choose at least one other topic to merge into this one."))
    # Row locks in id order, so two merges never wait on each other in a cycle.
    topics = {
        t.pk: t
        for t in Topic.objects.select_for_update(of=("self",))
        .select_related("forum")
        .filter(pk__in=[target.pk, *source_ids])
        .order_by("pk")
    }
    into = topics[target.pk]
    all_ids = [into.pk, *source_ids]
    forum_ids = {t.forum_id for t in topics.values()}
    author_ids = list(
        Post.objects.filter(topic_id__in=all_ids)
        .exclude(author_id=None)
        .values_list("author_id", flat=True)
        .distinct()
    )
    moved = Post.objects.filter(topic_id__in=source_ids).count()
    # Renumber in two steps that can never collide with the unique
    # (topic, position): first far above every final number, then 1..n.
    highest = Post.objects.filter(topic_id__in=all_ids).aggregate(m=Max("position"))["m"] or 0
    offset = highest + Post.objects.filter(topic_id__in=all_ids).count() + 1
    for index, topic_id in enumerate(all_ids, start=1):
        Post.objects.filter(topic_id=topic_id).update(
            topic_id=into.pk, position=F("position") + offset * index
        )
    posts = list(Post.objects.filter(topic_id=into.pk).order_by("created_at", "id").only("pk"))
    for number, post in enumerate(posts, start=1):
        post.position = number
    Post.objects.bulk_update(posts, ["position"], batch_size=500)
    note = _("Merged into “%(title)s” (#%(id)s).") % {"title": into.title, "id": into.pk}
    hidden = _hidden(moderator, note)
    for source_id in source_ids:
        Topic.objects.filter(pk=source_id).update(
            **hidden,
            last_position=0,
            reply_count=0,
            first_post_id=None,
            last_post_id=None,
        )
    post_services.recount_topic(into)
    for forum in Forum.objects.filter(pk__in=forum_ids):
        post_services.recount_forum(forum)
    post_services.recount_posters(author_ids)
    # Posts of a hidden topic merged into a shown one count again, and the reverse.
    reaction_services.recount_reputations(author_ids)
    titles = ", ".join(f"“{topics[i].title}” (#{i})" for i in source_ids)
    log_action(
        into,
        actor=moderator,
        action=Kind.TOPIC_MERGE,
        reason=reason,
        details=_("Merged in: %(topics)s") % {"topics": titles},
    )
    return moved


@transaction.atomic
def delete_topic(topic: Topic, *, by: User, reason: str = "") -> None:
    """Destroy a topic and its posts for good (superusers); the log keeps a line."""
    locked = _lock_topic_row(topic.pk)
    if _topic_counted(locked):
        _add_topic_to_counts(locked, forum_id=locked.forum_id, sign=-1)
    log_action(locked, actor=by, action=Kind.TOPIC_DELETE, reason=reason)
    forum_id = locked.forum_id
    locked.delete()
    post_services.refresh_forum_last_post(forum_id)


# --- Posts --------------------------------------------------------------------------


def _refuse_first_post(post: Post) -> None:
    if post.position == 1:
        raise ModerationError(
            _("The first post carries its topic: hide or show the topic instead.")
        )


@transaction.atomic
def hide_post(post: Post, *, moderator: User, reason: str) -> bool:
    """Take a post out of view for everyone but moderators; return False if it already was."""
    locked, topic = _lock_post_row(post.pk)
    _refuse_first_post(locked)
    if locked.hidden:
        return False
    was_counted = _post_counted(locked)
    _update((locked, post), **_hidden(moderator, reason))
    _post_visibility_changed(locked, topic, was_counted=was_counted)
    log_action(locked, actor=moderator, action=Kind.POST_HIDE, reason=reason)
    notifications.notify_moderation_outcome(
        Outcome.POST_HIDDEN, recipient=locked.author_id, actor=moderator, post=locked,
        reason=reason,
    )  # fmt: skip
    return True


@transaction.atomic
def unhide_post(post: Post, *, moderator: User, reason: str = "") -> bool:
    """Show a hidden post again; return False if it was not hidden."""
    locked, topic = _lock_post_row(post.pk)
    _refuse_first_post(locked)
    if not locked.hidden:
        return False
    was_counted = _post_counted(locked)
    _update((locked, post), **_SHOWN)
    _post_visibility_changed(locked, topic, was_counted=was_counted)
    log_action(locked, actor=moderator, action=Kind.POST_UNHIDE, reason=reason)
    notifications.notify_moderation_outcome(
        Outcome.POST_UNHIDDEN, recipient=locked.author_id, actor=moderator, post=locked,
        reason=reason,
    )  # fmt: skip
    return True


@transaction.atomic
def approve_post(post: Post, *, moderator: User) -> bool:
    """Publish a post that awaited approval (and its topic, for a first post)."""
    locked, topic = _lock_post_row(post.pk)
    if not locked.pending:
        return False
    _update((locked, post), pending=False)
    _post_visibility_changed(locked, topic, was_counted=False)
    if locked.position == 1 and topic.pending:
        was_counted = _topic_counted(topic)
        _update((topic,), pending=False)
        _topic_visibility_changed(topic, was_counted=was_counted)
    log_action(locked, actor=moderator, action=Kind.POST_APPROVE)
    new_topic = locked.position == 1
    notifications.notify_moderation_outcome(
        Outcome.TOPIC_APPROVED if new_topic else Outcome.POST_APPROVED,
        recipient=locked.author_id, actor=moderator, post=locked,
    )  # fmt: skip
    # Shown now: its followers, and whom it quotes or mentions, hear of it as of a new post.
    notifications.post_approved(locked, new_topic=new_topic)
    return True


@transaction.atomic
def reject_post(post: Post, *, moderator: User, reason: str) -> bool:
    """Refuse a post that awaited approval: it stays, hidden, for the record.

    A rejected first post hides its topic instead, so that showing the topic
    later shows the post with it.
    """
    locked, topic = _lock_post_row(post.pk)
    if not locked.pending:
        return False
    if locked.position == 1 and topic.pending:
        _update((topic,), pending=False, **_hidden(moderator, reason))
        _update((locked, post), pending=False)
    else:
        _update((locked, post), pending=False, **_hidden(moderator, reason))
    # Neither a pending nor a hidden post (or topic) is counted: only the
    # topic's own reply count and last post can change.
    _post_visibility_changed(locked, topic, was_counted=False)
    log_action(locked, actor=moderator, action=Kind.POST_REJECT, reason=reason)
    notifications.notify_moderation_outcome(
        Outcome.POST_REJECTED, recipient=locked.author_id, actor=moderator, post=locked,
        reason=reason,
    )  # fmt: skip
    return True


@transaction.atomic
def edit_post_as_moderator(
    post: Post,
    *,
    editor: User,
    body: str,
    title: str | None = None,
    reason: str = "",
    attachment_ids: Sequence[int] | None = None,
) -> Post:
    """Edit someone else's post: a revision keeps the old text and the log says who and why.

    ``attachment_ids`` are the images the post keeps (a moderator may take
    images off a post; only the author's own uploads are ever added).
    """
    changed = body != post.body or (
        title is not None and post.is_first and title.strip() != post.topic.title
    )
    post_services.edit_post(
        post, editor=editor, body=body, title=title, attachment_ids=attachment_ids
    )
    if changed:
        log_action(post, actor=editor, action=Kind.POST_EDIT, reason=reason)
    return post


@transaction.atomic
def delete_post(post: Post, *, by: User, reason: str = "") -> None:
    """Destroy a post for good (superusers); the log keeps a line. Never a first post."""
    locked, topic = _lock_post_row(post.pk)
    if locked.position == 1:
        raise ModerationError(_("The first post carries its topic: delete the topic instead."))
    was_counted = _post_counted(locked)
    log_action(locked, actor=by, action=Kind.POST_DELETE, reason=reason)
    locked.delete()
    locked.hidden = True  # gone: counted nowhere any more
    _post_visibility_changed(locked, topic, was_counted=was_counted)


# --- Members ----------------------------------------------------------------------


@transaction.atomic
def ban_member(
    member: User, *, moderator: User, reason: str, until: datetime | None = None
) -> None:
    """Ban a member until ``until`` (None: permanently). They may still read."""
    now = timezone.now()
    get_user_model().objects.filter(pk=member.pk).update(
        banned_at=now, banned_until=until, ban_reason=reason[:500]
    )
    member.banned_at, member.banned_until, member.ban_reason = now, until, reason[:500]
    if until is None:
        details = _("Permanently")
    else:
        details = _("Until %(until)s") % {"until": exact_time(until)}
    log_action(member, actor=moderator, action=Kind.MEMBER_BAN, reason=reason, details=details)


@transaction.atomic
def unban_member(member: User, *, moderator: User, reason: str = "") -> bool:
    """Lift a member's ban; return False if they were not banned."""
    if member.banned_at is None:
        return False
    get_user_model().objects.filter(pk=member.pk).update(
        banned_at=None, banned_until=None, ban_reason=""
    )
    member.banned_at, member.banned_until, member.ban_reason = None, None, ""
    log_action(member, actor=moderator, action=Kind.MEMBER_UNBAN, reason=reason)
    return True


# --- Reports -------------------------------------------------------------------------


def file_report(post: Post, *, reporter: User, reason: str, message: str = "") -> Report:
    """Report a post to the moderators: one open report per member and post."""
    if not Report.objects.open().filter(post=post, reporter=reporter).exists():
        try:
            with transaction.atomic():
                return Report.objects.create(
                    post=post, reporter=reporter, reason=reason, message=message.strip()
                )
        except IntegrityError:  # the same report sent twice at once
            pass
    raise ModerationError(_("You have already reported this post; moderators will look at it."))


def _close_reports(report: Report, *, moderator: User, status: str, note: str, action: str) -> int:
    """Close ``report`` and every other open report on the same post the same way."""
    now = timezone.now()
    reports = list(
        Report.objects.select_for_update().filter(post_id=report.post_id, status=Report.Status.OPEN)
    )
    for item in reports:
        item.status = status
        item.resolution_note = note
        item.resolved_by = moderator
        item.resolved_at = now
        item.save(update_fields=["status", "resolution_note", "resolved_by", "resolved_at"])
        log_action(item, actor=moderator, action=action, reason=note)
        # The reporter is told the outcome (the post may be hidden now: the
        # notification then leads to the topic).
        notifications.notify_moderation_outcome(
            Outcome.REPORT_RESOLVED if status == Report.Status.RESOLVED
            else Outcome.REPORT_DISMISSED,
            recipient=item.reporter_id, actor=moderator, post=item.post_id, reason=note,
            key=f"report:{item.pk}",
        )  # fmt: skip
    report.refresh_from_db()
    return len(reports)


@transaction.atomic
def resolve_report(
    report: Report,
    *,
    moderator: User,
    note: str = "",
    hide: bool = False,
    hide_reason: str = "",
) -> int:
    """Close a report as handled, hiding the reported post first when ``hide``.

    Every open report on that post closes with it; each reporter sees the
    outcome and ``note`` on their reports page. Returns how many closed.
    """
    if not report.is_open:
        raise ModerationError(_("This report is already closed."))
    if hide:
        post = report.post
        if post.position == 1:
            hide_topic(post.topic, moderator=moderator, reason=hide_reason or note)
        else:
            hide_post(post, moderator=moderator, reason=hide_reason or note)
    return _close_reports(
        report,
        moderator=moderator,
        status=Report.Status.RESOLVED,
        note=note,
        action=Kind.REPORT_RESOLVE,
    )


@transaction.atomic
def dismiss_report(report: Report, *, moderator: User, note: str = "") -> int:
    """Close a report that needs no action (with every open report on the same post)."""
    if not report.is_open:
        raise ModerationError(_("This report is already closed."))
    return _close_reports(
        report,
        moderator=moderator,
        status=Report.Status.DISMISSED,
        note=note,
        action=Kind.REPORT_DISMISS,
    )
