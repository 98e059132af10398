from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.boards.models import Forum
from forum.threads.querysets import TopicQuerySet


class Topic(models.Model):
    """A discussion: a title and its posts, in one forum."""

    forum = models.ForeignKey(
        Forum, on_delete=models.PROTECT, related_name="topics", verbose_name=_("forum")
    )
    title = models.CharField(_("title"), max_length=settings.AGORA_TOPIC_TITLE_MAX_LENGTH)
    slug = models.SlugField(_("slug"), max_length=settings.AGORA_TOPIC_TITLE_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="topics",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    locked = models.BooleanField(_("locked"), default=False)
    pinned = models.BooleanField(_("pinned"), default=False)

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
    # A topic whose first post awaits approval: only its author and moderators see it.
    pending = models.BooleanField(_("awaiting approval"), default=False)

    # Counters and the last post, kept by the services in one transaction with
    # the write; ``manage.py recount`` rebuilds them.
    reply_count = models.PositiveIntegerField(_("replies"), default=0, editable=False)
    last_position = models.PositiveIntegerField(default=0, editable=False)
    first_post_id = models.BigIntegerField(null=True, blank=True, editable=False)
    last_post_id = models.BigIntegerField(null=True, blank=True, editable=False)
    last_post_at = models.DateTimeField(_("last post"), default=timezone.now, editable=False)
    last_poster = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    views = models.PositiveIntegerField(_("views"), default=0, editable=False)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        permissions = [
            ("lock_topic", _("Can lock and unlock topics")),
            ("pin_topic", _("Can pin and unpin topics")),
            ("hide_topic", _("Can hide and unhide topics")),
            ("move_topic", _("Can move and merge topics")),
        ]
        indexes = [
            # The topic list: pinned first, then by last activity.
            models.Index(
                fields=["forum", "hidden", "-pinned", "-last_post_at", "-id"],
                name="topic_list_idx",
            ),
            models.Index(fields=["-last_post_at"], name="topic_last_post_idx"),
            models.Index(fields=["author", "-created_at"], name="topic_author_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("threads:topic_detail", kwargs={"pk": self.pk, "slug": self.slug})

    def get_page_url(self, page: int) -> str:
        if page <= 1:
            return self.get_absolute_url()
        return reverse(
            "threads:topic_page", kwargs={"pk": self.pk, "slug": self.slug, "page": page}
        )

    @property
    def page_count(self) -> int:
        per_page = settings.AGORA_POSTS_PER_PAGE
        return max(1, (self.last_position + per_page - 1) // per_page)

    def page_of_position(self, position: int) -> int:
        return max(1, (position - 1) // settings.AGORA_POSTS_PER_PAGE + 1)
