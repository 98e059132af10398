"""Notification e-mails: one per notification, or a digest; sent by tasks only.

Only to a verified address. Each message carries an unsubscribe link for its
kind that works without signing in: a signed token naming the member and the
kind (``unsubscribe_token``), also offered to mail clients as a one-click
``List-Unsubscribe`` header (RFC 8058).

Sending claims the notification first (``email_pending`` true -> false in one
conditional UPDATE), so a retried or duplicated task never sends twice; a
failed send gives the claim back for the next try (``send_overdue_emails``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from forum import permissions
from forum.mail import queue_email
from forum.notifications.models import Kind, Notification, NotificationSettings
from forum.posts.recommended import excerpt

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "agora.notifications.unsubscribe"
DIGEST_MAX_ITEMS = 50
EMAIL_EXCERPT_CHARS = 500
# A pending e-mail no task has sent by then is sent by the sweeper (a lost
# task, a failed send, a worker that died).
OVERDUE_AFTER = timedelta(minutes=5)


class EmailNotSent(Exception):
    """Some notification e-mails failed; they stay pending for the sweeper."""


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """The member and kind a token unsubscribes, or None when it is not ours."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user_id, kind = data.get("u"), data.get("k")
    if not isinstance(user_id, int) or kind not in Kind.values:
        return None
    return user_id, kind


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def unsubscribe_url(user_id: int, kind: str) -> str:
    path = reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(user_id, kind)})
    return absolute(path)


def verified_addresses(user_ids: Iterable[int]) -> dict[int, str]:
    """Each member's verified address, the primary one first (one query)."""
    found: dict[int, str] = {}
    rows = (
        EmailAddress.objects.filter(user_id__in=set(user_ids), verified=True)
        .order_by("-primary", "pk")
        .values_list("user_id", "email")
    )
    for user_id, email in rows:
        found.setdefault(user_id, email)
    return found


def _digest_members(user_ids: Iterable[int]) -> set[int]:
    return set(
        NotificationSettings.objects.filter(
            user_id__in=set(user_ids), email_digest=True
        ).values_list("user_id", flat=True)
    )


def notification_link(notification: Notification, user: Any) -> str:
    """Where a notification leads ``user``: the post, else its topic, else nowhere."""
    post = notification.post
    if post is not None and permissions.can_see_post(user, post):
        return post.get_absolute_url()
    topic = notification.topic
    if topic is not None and permissions.can_see_topic(user, topic):
        return topic.get_absolute_url()
    return ""


def _line(notification: Notification) -> dict[str, Any]:
    """What a line about ``notification`` says: a digest's entry, an e-mail's subject."""
    link = notification_link(notification, notification.recipient)
    return {
        "n": notification,
        "actor": notification.actor,
        "others": notification.others,
        "topic": notification.about_topic,
        "link": absolute(link) if link else "",
    }


def _context(notification: Notification) -> dict[str, Any]:
    """The context of the e-mail of one notification."""
    context = _line(notification)
    post = notification.post
    quoted = post is not None and context["link"] and notification.kind != Kind.MODERATION
    return {
        **context,
        "excerpt": excerpt(post.body_html, EMAIL_EXCERPT_CHARS) if quoted else "",
        "recipient": notification.recipient,
        "site_name": settings.SITE_NAME,
        "settings_url": absolute(reverse("notifications:notification_settings")),
        "unsubscribe_url": unsubscribe_url(notification.recipient_id, notification.kind),
        "kind_label": Kind(notification.kind).label,
    }


def _message(
    to: str, subject: str, body: str, unsubscribe: str | None = None
) -> EmailMultiAlternatives:
    headers = {"Auto-Submitted": "auto-generated"}
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
    return EmailMultiAlternatives(
        subject=f"{prefix}{' '.join(subject.split())}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
    )


def build_message(notification: Notification, address: str) -> EmailMultiAlternatives:
    """The e-mail of one notification."""
    context = _context(notification)
    subject = render_to_string("forum/notifications/email/subject.txt", context)
    body = render_to_string(f"forum/notifications/email/{notification.kind}.txt", context)
    return _message(address, subject, body, context["unsubscribe_url"])


def _claim(ids: list[int]) -> int:
    return Notification.objects.filter(pk__in=ids, email_pending=True).update(
        email_pending=False, emailed_at=timezone.now()
    )


def _release(ids: list[int]) -> None:
    Notification.objects.filter(pk__in=ids).update(email_pending=True, emailed_at=None)


def send_notification_emails(ids: Iterable[int]) -> int:
    """Send the e-mails these notifications owe (members on the digest wait for it).

    Returns how many were sent. A notification already read in the app, or
    whose member has no verified address, is settled without a message.
    Raises ``EmailNotSent`` after trying them all when any send failed.
    """
    wanted = sorted(set(ids))
    notifications = list(
        Notification.objects.filter(pk__in=wanted, email_pending=True).select_related(
            "recipient", "actor", "post__topic__forum", "topic__forum"
        )
    )
    if not notifications:
        return 0
    recipients = {n.recipient_id for n in notifications}
    digest = _digest_members(recipients)
    addresses = verified_addresses(recipients)
    sent = failed = 0
    with translation.override(settings.LANGUAGE_CODE):
        for notification in notifications:
            if notification.recipient_id in digest:
                continue
            if not _claim([notification.pk]):
                continue  # another run has it
            address = addresses.get(notification.recipient_id)
            seen = notification.shown and notification.read_at is not None
            if address is None or seen or not notification.recipient.is_active:
                continue
            try:
                queue_email(build_message(notification, address))
            except Exception:
                logger.exception("notification e-mail %s not sent", notification.pk)
                _release([notification.pk])
                failed += 1
            else:
                sent += 1
    if failed:
        raise EmailNotSent(f"{failed} notification e-mail(s) failed")
    return sent


def overdue_email_ids(now: Any = None, limit: int = 5000) -> list[int]:
    """Pending e-mails of members not on the digest that no task has sent in time."""
    now = now or timezone.now()
    return list(
        Notification.objects.filter(email_pending=True, updated_at__lt=now - OVERDUE_AFTER)
        .exclude(recipient__notification_settings__email_digest=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def send_digests(now: Any = None) -> int:
    """Send each member on the digest who is due one their pending notifications, in
    one e-mail; return how many digests went out."""
    now = now or timezone.now()
    due = NotificationSettings.objects.filter(email_digest=True).filter(
        Q(last_digest_at__isnull=True)
        | Q(last_digest_at__lte=now - timedelta(hours=settings.AGORA_DIGEST_HOURS))
    )
    pending_members = set(
        Notification.objects.filter(email_pending=True, recipient__in=due.values("user_id"))
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    addresses = verified_addresses(pending_members)
    sent = 0
    for user_id in sorted(pending_members):
        # Moving the member's digest time is the claim: a second run finds them not due.
        if not due.filter(user_id=user_id).update(last_digest_at=now):
            continue
        items = list(
            Notification.objects.filter(recipient_id=user_id, email_pending=True)
            .select_related("recipient", "actor", "post__topic__forum", "topic__forum")
            .order_by("-updated_at", "-id")[:DIGEST_MAX_ITEMS]
        )
        ids = [n.pk for n in items]
        if not items or not _claim(ids):
            continue
        address = addresses.get(user_id)
        if address is None or not items[0].recipient.is_active:
            continue
        unread = [n for n in items if not (n.shown and n.read_at is not None)]
        if not unread:
            continue
        try:
            queue_email(build_digest(unread, address))
        except Exception:
            logger.exception("digest for member %s not sent", user_id)
            _release(ids)
            NotificationSettings.objects.filter(user_id=user_id).update(last_digest_at=None)
        else:
            sent += 1
    return sent


def build_digest(items: list[Notification], address: str) -> EmailMultiAlternatives:
    recipient = items[0].recipient
    entries = [_line(n) for n in items]
    kinds = sorted({n.kind for n in items})
    context = {
        "recipient": recipient,
        "entries": entries,
        "count": len(items),
        "site_name": settings.SITE_NAME,
        "settings_url": absolute(reverse("notifications:notification_settings")),
        "unsubscribe": [(Kind(k).label, unsubscribe_url(recipient.pk, k)) for k in kinds],
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("forum/notifications/email/digest_subject.txt", context)
        body = render_to_string("forum/notifications/email/digest.txt", context)
    return _message(address, subject, body)
