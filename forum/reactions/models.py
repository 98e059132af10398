from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.posts.models import Post
from forum.reactions.querysets import ReactionQuerySet


class ReactionType(models.Model):
    """A kind of reaction members can give a post ("Like", "Thanks"), managed in the admin."""

    class Weight(models.IntegerChoices):
        POSITIVE = 1, _("+1: adds to the author's reputation")
        NEUTRAL = 0, _("0: no effect on reputation")
        NEGATIVE = -1, _("-1: takes from the author's reputation")

    name = models.CharField(_("name"), max_length=40, unique=True)
    emoji = models.CharField(
        _("emoji"), max_length=16, blank=True, help_text=_("Shown before the name, e.g. 👍.")
    )
    icon = models.ImageField(
        _("icon"),
        upload_to="reactions/",
        blank=True,
        help_text=_("An image shown instead of the emoji (square, 32 pixels or more)."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    enabled = models.BooleanField(
        _("enabled"),
        default=True,
        help_text=_("Members can choose it. Reactions already given stay shown and counted."),
    )
    weight = models.SmallIntegerField(
        _("reputation weight"), choices=Weight.choices, default=Weight.POSITIVE
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("reaction type")
        verbose_name_plural = _("reaction types")

    def __str__(self) -> str:
        return f"{self.emoji} {self.name}".strip()


class Reaction(models.Model):
    """One member's reaction to one post: at most one per member and post."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="reactions", verbose_name=_("post")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reactions",
        verbose_name=_("member"),
    )
    type = models.ForeignKey(
        ReactionType, on_delete=models.CASCADE, related_name="reactions", verbose_name=_("type")
    )
    created_at = models.DateTimeField(_("reacted"), default=timezone.now)

    objects = ReactionQuerySet.as_manager()

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        constraints = [
            # The database's word on "one reaction per member per post", whatever
            # the requests racing to add one.
            models.UniqueConstraint(fields=["post", "user"], name="reaction_post_user_uniq"),
        ]
        indexes = [
            models.Index(fields=["post", "type", "-created_at"], name="reaction_post_type_idx"),
            models.Index(fields=["user", "-created_at"], name="reaction_user_idx"),
        ]

    def __str__(self) -> str:
        return _("%(user)s: %(type)s on post %(post)s") % {
            "user": self.user_id,
            "type": self.type_id,
            "post": self.post_id,
        }
