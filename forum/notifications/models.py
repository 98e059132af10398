"""Following, read positions and notifications.

``TopicUser`` is a member's state in one topic, in one row: how far they have
read and whether they follow it (Discourse's TopicUser). The topic page reads
it in one query and writes it only when the member's position advances.
``ForumReadMarker`` holds "Mark forum read" and "Mark all read" (a row without
a forum). ``Notification`` rows are written by ``forum.notifications.services``,
mostly from tasks; ``User.unread_notifications`` counts the unread shown ones.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.boards.models import Forum
from forum.notifications.querysets import NotificationQuerySet
from forum.posts.models import Post
from forum.threads.models import Topic


class TopicUser(models.Model):
    """How far a member has read a topic, and whether they follow it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    # The highest post position the member has had on screen (pages are
    # ranges of positions); 0 until they open the topic.
    last_read_position = models.PositiveIntegerField(default=0)
    last_read_at = models.DateTimeField(null=True, blank=True)
    # None: the member never chose, and starting or replying follows the topic
    # (``User.auto_follow``); False: they unfollowed it, and that sticks.
    following = models.BooleanField(null=True, blank=True)
    followed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("topic reader")
        verbose_name_plural = _("topic readers")
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="topic_user_uniq"),
        ]
        indexes = [
            # The followers of a topic, in id order, for the batched fan-out.
            models.Index(
                fields=["topic", "user"],
                condition=models.Q(following=True),
                name="topic_user_following_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.topic_id}: {self.last_read_position}"


class ForumFollow(models.Model):
    """A member follows a forum: they hear of each new topic in it."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("forum follow")
        verbose_name_plural = _("forum follows")
        constraints = [
            # Also the index of the fan-out: a forum's followers in id order.
            models.UniqueConstraint(fields=["forum", "user"], name="forum_follow_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows forum {self.forum_id}"


class ForumReadMarker(models.Model):
    """Everything in ``forum`` (every forum, without one) posted before ``read_at`` is read."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    forum = models.ForeignKey(
        Forum, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("read marker")
        verbose_name_plural = _("read markers")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "forum"],
                condition=models.Q(forum__isnull=False),
                name="forum_read_marker_uniq",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(forum__isnull=True),
                name="all_read_marker_uniq",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.forum_id or 'all'} at {self.read_at}"


class Notification(models.Model):
    """Something a member is told about, in the app (the bell) and/or by e-mail."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("Replies in topics I follow")
        TOPIC = "topic", _("New topics in forums I follow")
        QUOTE = "quote", _("Someone quotes me")
        MENTION = "mention", _("Someone @mentions me")
        REACTION = "reaction", _("Reactions to my posts")
        RECOMMENDED = "recommended", _("A moderator recommends my post")
        MODERATION = "moderation", _("Moderation of my posts and reports")

    class Outcome(models.TextChoices):
        """What a moderation notification says happened."""

        REPORT_RESOLVED = "report_resolved", _("Your report was resolved")
        REPORT_DISMISSED = "report_dismissed", _("Your report was closed without action")
        POST_HIDDEN = "post_hidden", _("Your post was hidden")
        POST_UNHIDDEN = "post_unhidden", _("Your post is shown again")
        POST_APPROVED = "post_approved", _("Your post was approved")
        POST_REJECTED = "post_rejected", _("Your post was not approved")
        TOPIC_HIDDEN = "topic_hidden", _("Your topic was hidden")
        TOPIC_APPROVED = "topic_approved", _("Your topic was approved")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # One notification per recipient and key ("reply:<post id>"): a retried
    # task, or a post edited twice, never tells anybody twice.
    key = models.CharField(max_length=120)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    # The people behind it: reactions to one post are one notification,
    # "spidermike007 and 3 others reacted to your post".
    actor_count = models.PositiveIntegerField(default=1)
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # When it last changed (a new reaction brings a grouped one back to the top).
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # False when the member wants this kind by e-mail only: no bell, no list.
    shown = models.BooleanField(default=True)
    # An e-mail is owed (sent by a task, or in the next digest).
    email_pending = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_key_uniq"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-updated_at"], name="notification_list_idx"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(email_pending=True),
                name="notification_email_idx",
            ),
            # A member's unread ones by post: every topic page view of a member
            # with any unread asks whether the page answers one, and marks them.
            models.Index(
                fields=["recipient", "post"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id} ({self.key})"

    @property
    def others(self) -> int:
        """How many besides ``actor`` it is about ("spidermike007 and 3 others")."""
        return max(0, self.actor_count - 1)

    @property
    def about_topic(self) -> Topic | None:
        """The topic it names: its own, else its post's."""
        return self.topic or (self.post.topic if self.post else None)


class NotificationSettings(models.Model):
    """How a member wants to hear of each kind of notification."""

    class Channel(models.TextChoices):
        APP = "app", _("In the app")
        EMAIL = "email", _("By e-mail")
        BOTH = "both", _("Both")
        NONE = "none", _("Not at all")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    # Kind -> channel; a kind not in it has its default (``DEFAULT_CHANNELS``).
    channels = models.JSONField(default=dict, blank=True)
    email_digest = models.BooleanField(
        _("send my notification e-mails as one daily digest"), default=False
    )
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"notification settings of {self.user_id}"

    def channel(self, kind: str) -> str:
        return channel_for(self.channels, kind)


Kind = Notification.Kind
Channel = NotificationSettings.Channel

DEFAULT_CHANNELS: dict[str, str] = {
    Kind.REPLY: Channel.APP,
    Kind.TOPIC: Channel.APP,
    Kind.QUOTE: Channel.BOTH,
    Kind.MENTION: Channel.BOTH,
    Kind.REACTION: Channel.APP,
    Kind.RECOMMENDED: Channel.BOTH,
    Kind.MODERATION: Channel.BOTH,
}


def channel_for(channels: dict[str, str] | None, kind: str) -> str:
    """The channel a member chose for ``kind``, or its default."""
    chosen = (channels or {}).get(kind)
    return chosen if chosen in Channel.values else DEFAULT_CHANNELS[kind]
