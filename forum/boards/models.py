from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from forum.boards.querysets import ForumQuerySet


class Category(models.Model):
    """A heading on the board index that groups forums."""

    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class Forum(models.Model):
    """A board holding topics."""

    class Access(models.TextChoices):
        EVERYONE = "everyone", _("Everyone, guests included")
        MEMBERS = "members", _("Signed-in members")
        MODERATORS = "moderators", _("Moderators only")

    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="forums", verbose_name=_("category")
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, allow_unicode=False)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    read_access = models.CharField(
        _("who may read"), max_length=20, choices=Access.choices, default=Access.EVERYONE
    )
    locked = models.BooleanField(
        _("locked"), default=False, help_text=_("Only moderators may start topics.")
    )

    # Denormalized by the services in forum.threads and forum.posts, in the
    # transaction of the write; ``recount_forum`` rebuilds them.
    topic_count = models.PositiveIntegerField(_("topics"), default=0, editable=False)
    post_count = models.PositiveIntegerField(_("posts"), default=0, editable=False)
    last_post_id = models.BigIntegerField(null=True, blank=True, editable=False)
    last_post_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_topic_id = models.BigIntegerField(null=True, blank=True, editable=False)
    last_topic_title = models.CharField(max_length=200, blank=True, editable=False)
    last_poster = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = ForumQuerySet.as_manager()

    class Meta:
        ordering = ["category__position", "position", "id"]
        permissions = [("read_any_forum", _("Can read every forum, moderators-only ones too"))]
        verbose_name = _("forum")
        verbose_name_plural = _("forums")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("boards:forum_detail", kwargs={"pk": self.pk, "slug": self.slug})

    def get_last_post_url(self) -> str:
        return reverse("posts:post_permalink", kwargs={"pk": self.last_post_id})
