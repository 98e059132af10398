from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.posts.markup import AttachmentRef
from forum.posts.querysets import AttachmentQuerySet, PostQuerySet
from forum.threads.models import Topic


class Post(models.Model):
    """One message in a topic. ``body`` is the Markdown source the author wrote;
    ``body_html`` is its sanitized rendering, made once by ``forum.posts.markup``
    when the post is saved and never on a page view."""

    # No index of its own: the unique (topic, position) index serves every
    # lookup by topic, and the planner must not prefer a topic-only index for
    # a page's position range (on a 100,000-post topic that scans every post).
    topic = models.ForeignKey(
        Topic,
        on_delete=models.CASCADE,
        related_name="posts",
        verbose_name=_("topic"),
        db_index=False,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="posts",
        verbose_name=_("author"),
    )
    # 1-based place in the topic, assigned under the topic's row lock. Pages
    # are ranges of positions, so page 5,000 costs what page 1 does.
    position = models.PositiveIntegerField(_("position"))
    body = models.TextField(_("text"))
    body_html = models.TextField(editable=False)
    render_version = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True, editable=False)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    edit_count = models.PositiveIntegerField(default=0, editable=False)

    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    # Held for a moderator's approval: only its author and moderators see it,
    # and no counter includes it until it is approved.
    pending = models.BooleanField(_("awaiting approval"), default=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        permissions = [
            ("hide_post", _("Can hide and unhide posts")),
            ("edit_any_post", _("Can edit any post")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["topic", "position"], name="post_topic_position_uniq"),
        ]
        indexes = [
            models.Index(fields=["author", "-created_at"], name="post_author_idx"),
            models.Index(fields=["-created_at"], name="post_created_idx"),
            models.Index(
                fields=["-created_at"], condition=models.Q(pending=True), name="post_pending_idx"
            ),
        ]

    def __str__(self) -> str:
        return _("Post #%(position)s in %(topic)s") % {
            "position": self.position,
            "topic": self.topic_id,
        }

    def get_absolute_url(self) -> str:
        return reverse("posts:post_permalink", kwargs={"pk": self.pk})

    @property
    def anchor(self) -> str:
        return f"post-{self.pk}"

    @property
    def is_first(self) -> bool:
        return self.position == 1


class PostRevision(models.Model):
    """The text of a post before one of its edits."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self) -> str:
        return _("Revision of post %(post)s") % {"post": self.post_id}


class Attachment(models.Model):
    """An image a member uploaded for a post, stored re-encoded under a random name.

    ``post`` stays empty from the upload until the post is saved; uploads
    still unattached after ``AGORA_UPLOAD_MAX_AGE_HOURS`` are removed
    (``manage.py cleanup_uploads``), and so are images taken out of a post.
    """

    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
        verbose_name=_("uploaded by"),
    )
    # Deleting a post leaves its images unattached, and the cleanup removes
    # their files too (a cascade would leave the files behind in storage).
    post = models.ForeignKey(
        Post,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
        verbose_name=_("post"),
    )
    file = models.FileField(_("image"), upload_to="attachments/%Y/%m/", max_length=200)
    display = models.FileField(
        _("display copy"), upload_to="attachments/%Y/%m/", max_length=200, blank=True
    )
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    display_width = models.PositiveIntegerField(_("display width"))
    display_height = models.PositiveIntegerField(_("display height"))
    size = models.PositiveIntegerField(_("size in bytes"))
    content_type = models.CharField(_("type"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(post__isnull=True),
                name="attachment_unattached_idx",
            ),
            models.Index(fields=["uploader", "-created_at"], name="attachment_uploader_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_url(self) -> str:
        return (self.display or self.file).url

    @property
    def markdown(self) -> str:
        """What the editor inserts to show this image in a post."""
        return f"![{self.name}](attachment:{self.pk})"

    def as_ref(self) -> AttachmentRef:
        """What the markup pipeline needs to render this image."""
        return AttachmentRef(
            url=self.file.url,
            display_url=self.display_url,
            width=self.display_width,
            height=self.display_height,
            name=self.name,
        )


class QuoteEdge(models.Model):
    """``post`` quotes ``quoted_post``, written by ``quoted_user``: whom to tell about it.

    Kept by the services that save a post, from the ids its rendering found;
    one row per quoted post per quoting post.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="quote_edges")
    quoted_post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="quoted_by")
    quoted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quoted_in",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.UniqueConstraint(fields=["post", "quoted_post"], name="quote_edge_uniq"),
        ]
        indexes = [
            models.Index(fields=["quoted_user", "-created_at"], name="quote_edge_user_idx"),
        ]

    def __str__(self) -> str:
        return _("Post %(post)s quotes post %(quoted)s") % {
            "post": self.post_id,
            "quoted": self.quoted_post_id,
        }


class RecommendedPost(models.Model):
    """A post a moderator recommends: listed in the "Recommended Posts" block
    above the topic's replies, and badged in the stream."""

    post = models.OneToOneField(
        Post,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="recommendation",
        verbose_name=_("post"),
    )
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recommended by"),
    )
    note = models.CharField(
        _("note"),
        max_length=300,
        blank=True,
        help_text=_("Optional: why this post is worth reading, shown with it."),
    )
    created_at = models.DateTimeField(_("recommended"), default=timezone.now)

    class Meta:
        verbose_name = _("recommended post")
        verbose_name_plural = _("recommended posts")
        permissions = [("recommend_post", _("Can recommend posts and remove recommendations"))]

    def __str__(self) -> str:
        return _("Recommended post %(post)s") % {"post": self.post_id}
