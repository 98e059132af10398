from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.moderation.querysets import ModerationActionQuerySet, ReportQuerySet
from forum.posts.models import Post


class Report(models.Model):
    """A member telling the moderators that a post breaks the rules."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Abusive, hateful or harassing")
        OFF_TOPIC = "off_topic", _("Off-topic or disruptive")
        PRIVACY = "privacy", _("Shares someone's private information")
        ILLEGAL = "illegal", _("Illegal content")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")
        DISMISSED = "dismissed", _("Dismissed")

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="reports", verbose_name=_("post")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="reports_filed",
        verbose_name=_("reported by"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    message = models.TextField(_("details"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    resolution_note = models.TextField(_("note to the reporter"), max_length=1000, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("handled by"),
    )
    resolved_at = models.DateTimeField(_("handled"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=models.Q(status="open"),
                name="report_one_open_per_member",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="report_queue_idx"),
            models.Index(fields=["reporter", "-created_at"], name="report_reporter_idx"),
        ]

    def __str__(self) -> str:
        return _("Report #%(id)s on post %(post)s") % {"id": self.pk, "post": self.post_id}

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ModerationAction(models.Model):
    """One line of the moderation log: who did what to which object, why and when."""

    class Kind(models.TextChoices):
        TOPIC_LOCK = "topic_lock", _("Locked a topic")
        TOPIC_UNLOCK = "topic_unlock", _("Unlocked a topic")
        TOPIC_PIN = "topic_pin", _("Pinned a topic")
        TOPIC_UNPIN = "topic_unpin", _("Unpinned a topic")
        TOPIC_HIDE = "topic_hide", _("Hid a topic")
        TOPIC_UNHIDE = "topic_unhide", _("Unhid a topic")
        TOPIC_MOVE = "topic_move", _("Moved a topic")
        TOPIC_MERGE = "topic_merge", _("Merged topics")
        TOPIC_DELETE = "topic_delete", _("Deleted a topic permanently")
        POST_HIDE = "post_hide", _("Hid a post")
        POST_UNHIDE = "post_unhide", _("Unhid a post")
        POST_EDIT = "post_edit", _("Edited a post")
        POST_APPROVE = "post_approve", _("Approved a post")
        POST_REJECT = "post_reject", _("Rejected a post")
        POST_DELETE = "post_delete", _("Deleted a post permanently")
        MEMBER_BAN = "member_ban", _("Banned a member")
        MEMBER_UNBAN = "member_unban", _("Lifted a ban")
        REPORT_RESOLVE = "report_resolve", _("Resolved a report")
        REPORT_DISMISS = "report_dismiss", _("Dismissed a report")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="moderation_actions",
        verbose_name=_("moderator"),
    )
    action = models.CharField(_("action"), max_length=30, choices=Kind.choices)
    # The object acted on; the log outlives it (a permanent delete keeps the
    # line, with the description it had).
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("kind of object")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    object_repr = models.CharField(_("object"), max_length=200)
    target = GenericForeignKey("content_type", "object_id")
    reason = models.TextField(_("reason"), blank=True)
    details = models.CharField(_("details"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    objects = ModerationActionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation log")
        # Capabilities that belong to no single model live here.
        permissions = [
            ("ban_member", _("Can ban and unban members")),
            ("approve_post", _("Can approve or reject posts awaiting approval")),
        ]
        indexes = [
            models.Index(fields=["-created_at"], name="modaction_created_idx"),
            models.Index(fields=["content_type", "object_id"], name="modaction_target_idx"),
            models.Index(fields=["actor", "-created_at"], name="modaction_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.object_repr}"
