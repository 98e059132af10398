from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.querysets import UserManager


def avatar_path(instance: User, filename: str) -> str:
    """Store avatars under a per-member folder; the file name is chosen by us."""
    return f"avatars/{instance.pk}/{filename}"


def member_slug(username: str) -> str:
    """The slug of a member's profile URL, from their user name alone."""
    return slugify(username) or "member"


class User(AbstractUser):
    """A member of the forum."""

    title = models.CharField(_("member title"), max_length=80, blank=True)
    signature = models.TextField(_("signature"), max_length=500, blank=True)
    signature_html = models.TextField(blank=True, editable=False)
    avatar = models.ImageField(_("avatar"), upload_to=avatar_path, blank=True)
    avatar_small = models.ImageField(upload_to=avatar_path, blank=True, editable=False)
    post_count = models.PositiveIntegerField(_("posts"), default=0)
    reputation = models.IntegerField(_("reputation"), default=0)
    last_seen = models.DateTimeField(_("last visited"), null=True, blank=True)
    banned_at = models.DateTimeField(_("banned at"), null=True, blank=True)
    banned_until = models.DateTimeField(
        _("banned until"), null=True, blank=True, help_text=_("Empty means permanently.")
    )
    ban_reason = models.CharField(_("ban reason"), max_length=500, blank=True)
    browse_invisibly = models.BooleanField(
        _("browse invisibly"),
        default=False,
        help_text=_("Do not list me under “Recently Browsing” or in online lists."),
    )
    auto_follow = models.BooleanField(_("follow topics I start or reply to"), default=True)
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        permissions = [("change_own_title", _("Can set their own member title"))]
        indexes = [
            models.Index(fields=["-post_count"], name="user_post_count_idx"),
            models.Index(fields=["-reputation"], name="user_reputation_idx"),
            models.Index(fields=["-date_joined"], name="user_joined_idx"),
        ]

    def __str__(self) -> str:
        return self.username

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def slug(self) -> str:
        return member_slug(self.username)

    @cached_property
    def initials(self) -> str:
        """Up to two letters for the generated avatar."""
        parts = [p for p in self.username.replace("_", " ").replace("-", " ").split() if p]
        if len(parts) >= 2:
            return (parts[0][0] + parts[1][0]).upper()
        return self.username[:2].upper() if self.username else "?"

    @property
    def avatar_colour(self) -> int:
        """Index into the avatar palette, derived from the name (stable across runs)."""
        return sum(self.username.encode()) % 12

    @property
    def is_banned(self) -> bool:
        if self.banned_at is None:
            return False
        return self.banned_until is None or self.banned_until > timezone.now()
