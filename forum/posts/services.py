"""Write operations on topics and posts: start, reply, edit, quotes, attachments, recounts.

Each service runs in one transaction. Counters (topic replies, forum topics
and posts, member post counts, last post) change in that same transaction,
with F() expressions or under the topic's row lock, so concurrent replies
never lose an update.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify

from forum import images, pagecache, permissions
from forum.boards import services as board_services
from forum.boards.models import Forum
from forum.notifications import services as notifications
from forum.notifications.models import Notification
from forum.posts import markup
from forum.posts.models import Attachment, Post, PostRevision, QuoteEdge, RecommendedPost
from forum.search import indexing as search_index
from forum.threads.models import Topic

if TYPE_CHECKING:
    from accounts.models import User


def topic_slug(title: str) -> str:
    return slugify(title)[:100].strip("-") or "topic"


logger = logging.getLogger(__name__)


def _mention_refs(source: str) -> dict[str, markup.MentionRef]:
    """The members ``@name`` in ``source`` may link to, by lowercase name (one query, none
    without an ``@``)."""
    names = markup.mention_candidates(source)
    if not names:
        return {}
    members = (
        get_user_model()
        .objects.annotate(name_lower=Lower("username"))
        .filter(name_lower__in=names, is_active=True)
        .only("pk", "username")
        .order_by("pk")
    )
    refs: dict[str, markup.MentionRef] = {}
    for member in members:
        refs.setdefault(
            member.username.lower(),
            markup.MentionRef(member.pk, member.username, member.get_absolute_url()),
        )
    return refs


@dataclass
class _Rendered:
    result: markup.RenderResult
    members: dict[str, markup.MentionRef]

    @property
    def mentioned_ids(self) -> list[int]:
        """The members the post mentions (outside quotes), in order."""
        refs = self.members
        return [refs[name.lower()].pk for name in self.result.mentions if name.lower() in refs]

    @property
    def quoted_post_ids(self) -> list[int]:
        return self.result.quoted_post_ids


def _render_into(post: Post, attachments: Iterable[Attachment] = ()) -> _Rendered:
    refs = {attachment.pk: attachment.as_ref() for attachment in attachments}
    members = _mention_refs(post.body)
    result = markup.render(post.body, attachments=refs, members=members)
    post.body_html = result.html
    post.render_version = result.version
    return _Rendered(result, members)


def mentioned_member_ids(source: str) -> list[int]:
    """The members a post's text mentions (outside quotes), by id: what its save found."""
    members = _mention_refs(source)
    if not members:
        return []
    return _Rendered(markup.render(source, members=members), members).mentioned_ids


def _quoted_users(edges: Iterable[QuoteEdge]) -> list[int]:
    return [edge.quoted_user_id for edge in edges if edge.quoted_user_id is not None]


def _claim_attachments(
    user: User, ids: Sequence[int] | None, post: Post | None = None
) -> list[Attachment]:
    """Lock and return the attachments of ``ids`` that ``user`` may put on ``post``:
    their own unattached uploads, and those ``post`` has already."""
    if not ids:
        return []
    claimed = (
        Attachment.objects.attachable(user, post)
        .filter(pk__in=ids)
        .select_for_update()
        .order_by("pk")
    )
    return list(claimed[: settings.AGORA_IMAGES_PER_POST])


def _link_attachments(
    post: Post, attachments: Sequence[Attachment], *, detach_others: bool = False
) -> None:
    """Attach ``attachments`` to ``post``; ``detach_others`` takes its other images off."""
    keep = [attachment.pk for attachment in attachments]
    if detach_others:
        Attachment.objects.filter(post=post).exclude(pk__in=keep).update(post=None)
    if keep:
        Attachment.objects.filter(pk__in=keep).update(post=post)


@transaction.atomic
def start_topic(
    forum: Forum,
    *,
    author: User,
    title: str,
    body: str,
    created_at: datetime | None = None,
    attachment_ids: Sequence[int] | None = None,
    pending: bool = False,
    notify: bool = True,
) -> Topic:
    """Create a topic with its first post, and count both.

    ``attachment_ids`` are uploads to attach (only the author's own unattached
    ones are). ``created_at`` backdates the topic (imports and demo content).
    A ``pending`` topic waits for a moderator's approval and is counted only
    then (``forum.moderation.services.approve_post``). The forum's followers
    and the members it quotes or mentions are told by a task, unless
    ``notify`` is false (imports and demo content).
    """
    now = created_at or timezone.now()
    title = title.strip()
    topic = Topic.objects.create(
        forum=forum,
        title=title,
        slug=topic_slug(title),
        author=author,
        created_at=now,
        last_post_at=now,
        last_poster=author,
        last_position=1,
        pending=pending,
    )
    attachments = _claim_attachments(author, attachment_ids)
    post = Post(topic=topic, author=author, position=1, body=body, created_at=now, pending=pending)
    rendered = _render_into(post, attachments)
    post.save()
    _link_attachments(post, attachments)
    quotes = record_quotes(post, rendered.quoted_post_ids)
    search_index.index_new_post(post, title=title)
    Topic.objects.filter(pk=topic.pk).update(first_post_id=post.pk, last_post_id=post.pk)
    topic.first_post_id = topic.last_post_id = post.pk
    if pending:
        return topic
    board_services.note_new_post(
        forum.pk,
        post_id=post.pk,
        topic_id=topic.pk,
        topic_title=title,
        poster=author,
        at=now,
        new_topic=True,
    )
    get_user_model().objects.filter(pk=author.pk).update(post_count=F("post_count") + 1)
    pagecache.topic_changed(topic.pk, forum.pk)
    post.author = author
    notifications.post_created(
        post,
        new_topic=True,
        quoted_user_ids=_quoted_users(quotes),
        mentioned_user_ids=rendered.mentioned_ids,
        notify_others=notify,
    )
    return topic


@transaction.atomic
def reply_to_topic(
    topic: Topic,
    *,
    author: User,
    body: str,
    created_at: datetime | None = None,
    attachment_ids: Sequence[int] | None = None,
    pending: bool = False,
    notify: bool = True,
) -> Post:
    """Add a post at the end of ``topic``.

    Takes the topic's row lock to hand out the next position, so two replies
    at once get consecutive positions and both counts. ``attachment_ids`` are
    uploads to attach (only the author's own unattached ones are).
    ``created_at`` backdates the post (imports and demo content). A ``pending``
    post takes its position but is counted (and anyone told) only once a
    moderator approves it. The topic's followers and the members it quotes or
    mentions are told by a task, unless ``notify`` is false (imports and demo
    content).
    """
    locked = Topic.objects.select_for_update().get(pk=topic.pk)
    attachments = _claim_attachments(author, attachment_ids)
    now = created_at or timezone.now()
    post = Post(
        topic=locked,
        author=author,
        position=locked.last_position + 1,
        body=body,
        created_at=now,
        pending=pending,
    )
    rendered = _render_into(post, attachments)
    post.save()
    _link_attachments(post, attachments)
    quotes = record_quotes(post, rendered.quoted_post_ids)
    search_index.index_new_post(post)
    if pending:
        Topic.objects.filter(pk=locked.pk).update(last_position=post.position)
        return post
    Topic.objects.filter(pk=locked.pk).update(
        last_position=post.position,
        reply_count=F("reply_count") + 1,
        last_post_id=post.pk,
        last_post_at=now,
        last_poster=author,
    )
    board_services.note_new_post(
        locked.forum_id,
        post_id=post.pk,
        topic_id=locked.pk,
        topic_title=locked.title,
        poster=author,
        at=now,
        new_topic=False,
    )
    get_user_model().objects.filter(pk=author.pk).update(post_count=F("post_count") + 1)
    pagecache.topic_changed(locked.pk, locked.forum_id)
    notifications.post_created(
        post,
        new_topic=False,
        quoted_user_ids=_quoted_users(quotes),
        mentioned_user_ids=rendered.mentioned_ids,
        notify_others=notify,
    )
    return post


@transaction.atomic
def edit_post(
    post: Post,
    *,
    editor: User,
    body: str,
    title: str | None = None,
    attachment_ids: Sequence[int] | None = None,
) -> Post:
    """Replace a post's text, keeping the previous text as a revision.

    ``title`` renames the topic too; only pass it for the first post.
    ``attachment_ids``, when given, are the images the post keeps or gains
    (the editor's own unattached uploads); the others are taken off it, and
    the cleanup removes them.
    """
    current = list(post.attachments.order_by("pk"))
    attachments = current
    if attachment_ids is not None:
        attachments = _claim_attachments(editor, attachment_ids, post)
    images_changed = [a.pk for a in attachments] != [a.pk for a in current]
    changed = False
    if body != post.body or images_changed:
        changed = True
        if body != post.body:
            PostRevision.objects.create(post=post, body=post.body, editor=editor)
        post.body = body
        rendered = _render_into(post, attachments)
        if images_changed:
            _link_attachments(post, attachments, detach_others=True)
        post.edited_at = timezone.now()
        post.edited_by = editor
        post.edit_count = F("edit_count") + 1
        post.save(
            update_fields=[
                "body", "body_html", "render_version", "edited_at", "edited_by", "edit_count",
            ]
        )  # fmt: skip
        post.refresh_from_db(fields=["edit_count"])
        quotes = record_quotes(post, rendered.quoted_post_ids)
        # Only whom the edit newly quotes or mentions hears of it (keys dedupe).
        notifications.post_edited(
            post,
            quoted_user_ids=_quoted_users(quotes),
            mentioned_user_ids=rendered.mentioned_ids,
        )
    if title is not None and post.is_first and title.strip() != post.topic.title:
        changed = True
        topic = post.topic
        topic.title = title.strip()
        topic.slug = topic_slug(topic.title)
        topic.save(update_fields=["title", "slug"])
        Forum.objects.filter(pk=topic.forum_id, last_topic_id=topic.pk).update(
            last_topic_title=topic.title[:200]
        )
    if changed:
        search_index.reindex_post(post, title=post.topic.title)
        pagecache.topic_changed(post.topic_id, post.topic.forum_id)
    return post


def record_quotes(post: Post, quoted_post_ids: list[int]) -> list[QuoteEdge]:
    """Make ``post``'s quote edges match the posts its text quotes; return the new edges.

    Only posts that exist and that the author may see count (a hand-typed id
    of a hidden post records nothing), and never the post itself. Edges of
    quotes removed by an edit go; an edit that keeps a quote keeps its edge,
    so a quoted member is told once per quoting post. Runs inside the
    caller's transaction.
    """
    wanted: dict[int, Post] = {}
    if quoted_post_ids and post.author_id is not None:
        author = post.author
        candidates = Post.objects.filter(pk__in=quoted_post_ids).exclude(pk=post.pk)
        for quoted in candidates.select_related("topic__forum").only(
            "pk", "author_id", "hidden", "topic__hidden", "topic__forum__read_access"
        ):
            if permissions.can_see_post(author, quoted):
                wanted[quoted.pk] = quoted
    existing = set(QuoteEdge.objects.filter(post=post).values_list("quoted_post_id", flat=True))
    if existing - wanted.keys():
        QuoteEdge.objects.filter(post=post, quoted_post_id__in=existing - wanted.keys()).delete()
    new = [
        QuoteEdge(post=post, quoted_post=quoted, quoted_user_id=quoted.author_id)
        for pk, quoted in wanted.items()
        if pk not in existing
    ]
    # ignore_conflicts: two saves of one edit racing still leave one edge each.
    QuoteEdge.objects.bulk_create(new, ignore_conflicts=True)
    return new


@transaction.atomic
def rerender_post(post: Post) -> None:
    """Render a post again with the current pipeline (after it changed, or the
    media URL moved), and its quote edges. Prefetch ``attachments`` when
    rendering many. Nobody is notified: the post is not new."""
    rendered = _render_into(
        post, sorted(post.attachments.all(), key=lambda attachment: attachment.pk)
    )
    Post.objects.filter(pk=post.pk).update(
        body_html=post.body_html, render_version=post.render_version
    )
    record_quotes(post, rendered.quoted_post_ids)
    pagecache.topic_changed(post.topic_id)


# --- Recommended posts ----------------------------------------------------------------


@transaction.atomic
def recommend_post(post: Post, *, by: User, note: str = "") -> RecommendedPost:
    """Recommend ``post`` (or change the note of its recommendation).

    The caller has checked ``permissions.can_recommend_post``. The author
    hears of it once, through a task, whoever recommends it again.
    """
    note = note.strip()[:300]
    recommendation, created = RecommendedPost.objects.update_or_create(
        post=post, defaults={"note": note}, create_defaults={"note": note, "recommended_by": by}
    )
    if created and post.author_id is not None:
        notifications.notify(
            Notification.Kind.RECOMMENDED, recipient=post.author_id, actor=by, post=post
        )
    pagecache.topic_changed(post.topic_id)
    return recommendation


def unrecommend_post(post: Post) -> bool:
    """Take the recommendation off ``post``; return whether it had one."""
    deleted, _ = RecommendedPost.objects.filter(post=post).delete()
    if deleted:
        pagecache.topic_changed(post.topic_id)
    return bool(deleted)


# --- Attachments: uploads stored re-encoded, and their cleanup --------------------


def store_upload(uploader: User, *, image: images.ProcessedImage, filename: str) -> Attachment:
    """Store an image made safe by ``forum.images.process_upload``, unattached.

    Saves the full image and, when it is wider than the display width, a
    display copy, through the field's storage under a random name; the name
    the member gave the file is kept only as a cleaned-up display name.
    """
    display = images.scale_to_width(image, settings.AGORA_IMAGE_DISPLAY_WIDTH)
    token = secrets.token_hex(16)
    attachment = Attachment(
        uploader=uploader,
        width=image.width,
        height=image.height,
        display_width=(display or image).width,
        display_height=(display or image).height,
        size=image.size,
        content_type=image.content_type,
        name=images.display_name(filename, image.extension),
    )
    attachment.file.save(f"{token}.{image.extension}", ContentFile(image.content), save=False)
    if display is not None:
        attachment.display.save(
            f"{token}-display.{display.extension}", ContentFile(display.content), save=False
        )
    try:
        attachment.save()
    except Exception:
        _delete_files(attachment)
        raise
    return attachment


def _delete_files(attachment: Attachment) -> None:
    for stored in (attachment.file, attachment.display):
        if stored:
            try:
                stored.storage.delete(stored.name)
            except OSError:
                logger.exception("could not delete %s", stored.name)


def delete_stale_uploads(now: datetime | None = None) -> int:
    """Remove uploads no post took within ``AGORA_UPLOAD_MAX_AGE_HOURS``, with
    their files; return how many. Images taken out of a post go the same way."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.AGORA_UPLOAD_MAX_AGE_HOURS)
    removed = 0
    for attachment in Attachment.objects.stale(cutoff).order_by("pk").iterator():
        # The row goes first, and only while still unattached: a post that took
        # it a moment ago keeps it, files and all.
        deleted, _ = Attachment.objects.filter(pk=attachment.pk, post__isnull=True).delete()
        if deleted:
            _delete_files(attachment)
            removed += 1
    return removed


# --- Recounts: rebuild denormalized counters from the rows ------------------------


@transaction.atomic
def recount_topic(topic: Topic) -> None:
    """Recompute a topic's reply count and last post from its visible posts."""
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    shown = Post.objects.filter(topic=topic, hidden=False, pending=False)
    stats = Post.objects.filter(topic=topic).aggregate(last_position=Max("position"))
    first = shown.order_by("position").first()
    last = shown.order_by("-position").select_related("author").first()
    topic.reply_count = max(0, shown.count() - 1)
    topic.last_position = stats["last_position"] or 0
    topic.first_post_id = first.pk if first else None
    if last:
        topic.last_post_id = last.pk
        topic.last_post_at = last.created_at
        topic.last_poster = last.author
    topic.save(
        update_fields=[
            "reply_count", "last_position", "first_post_id", "last_post_id",
            "last_post_at", "last_poster",
        ]
    )  # fmt: skip


@transaction.atomic
def recount_forum(forum: Forum) -> None:
    """Recompute a forum's topic and post counts and last post."""
    topics = Topic.objects.filter(forum=forum).shown()
    forum.topic_count = topics.count()
    counted = Post.objects.filter(
        topic__forum=forum, topic__hidden=False, topic__pending=False, hidden=False, pending=False
    )
    forum.post_count = counted.count()
    last = counted.select_related("topic", "author").order_by("-created_at", "-id").first()
    forum.last_post_id = last.pk if last else None
    forum.last_post_at = last.created_at if last else None
    forum.last_topic_id = last.topic_id if last else None
    forum.last_topic_title = last.topic.title[:200] if last else ""
    forum.last_poster = last.author if last else None
    forum.save(
        update_fields=[
            "topic_count", "post_count", "last_post_id", "last_post_at", "last_topic_id",
            "last_topic_title", "last_poster",
        ]
    )  # fmt: skip


def refresh_forum_last_post(forum_id: int) -> None:
    """Make a forum's last post the latest of its shown topics' last posts.

    Cheaper than ``recount_forum``: it reads topics, not posts. Call it, in
    the write's transaction, after a topic's last post or visibility changed.
    """
    last = (
        Topic.objects.filter(forum_id=forum_id)
        .shown()
        .exclude(last_post_id=None)
        .order_by("-last_post_at", "-id")
        .first()
    )
    Forum.objects.filter(pk=forum_id).update(
        last_post_id=last.last_post_id if last else None,
        last_post_at=last.last_post_at if last else None,
        last_topic_id=last.pk if last else None,
        last_topic_title=last.title[:200] if last else "",
        last_poster_id=last.last_poster_id if last else None,
    )


def _recount_post_counts(members: QuerySet) -> int:
    """Set the post count of each of ``members`` from their counted posts; return how
    many changed."""
    user_model = get_user_model()
    counted = Q(
        posts__hidden=False,
        posts__pending=False,
        posts__topic__hidden=False,
        posts__topic__pending=False,
    )
    changed = 0
    counts = members.annotate(real=Count("posts", filter=counted)).only("pk", "post_count")
    for user in counts.iterator():
        if user.real != user.post_count:
            user_model.objects.filter(pk=user.pk).update(post_count=user.real)
            changed += 1
    return changed


def recount_posters(user_ids: list[int]) -> None:
    """Recompute the post counts of some members (after posts moved between topics)."""
    _recount_post_counts(get_user_model().objects.filter(pk__in=user_ids))


def recount_members() -> int:
    """Recompute every member's post count; return how many changed."""
    return _recount_post_counts(get_user_model().objects.all())
