"""Outgoing e-mail: stored in the request, sent by a task, retried until it goes.

``queue_email(message)`` stores a rendered ``EmailMessage`` as an
``OutgoingEmail`` row, in the caller's transaction, and enqueues ``send_email``
once that commits. Every e-mail of the site goes this way: allauth's
(``accounts.adapter.AccountAdapter``) and the forum's own. A request never
waits on SMTP, and a failed send never undoes the post or sign-up that
caused the message.

``send_email`` claims the row, sends it and marks it sent; a retried or
duplicated task finds it sent (or claimed) and does nothing. On an SMTP error
the row goes back to pending with a later ``next_attempt_at``, and
``requeue_due_emails`` (a periodic job) enqueues it again then. The same job
picks up rows whose task the queue lost, and claims a worker died holding.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from forum.models import OutgoingEmail
from forum.tasks import enqueue, enqueue_on_commit

logger = logging.getLogger(__name__)

# A pending row nobody has sent by then is enqueued again by the sweeper: the
# queue may have lost its task (Redis down at enqueue time, or flushed).
REQUEUE_AFTER = timedelta(minutes=5)
# A worker holding a claim this long has died: the message is sent again.
CLAIM_TIMEOUT = timedelta(minutes=10)
# Delay before attempt n + 1 after n failures; about a day in all.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
    timedelta(hours=12),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
# Sent rows are kept this long for the record; failed ones twice as long.
KEEP_SENT = timedelta(days=14)


def queue_email(message: EmailMessage) -> OutgoingEmail:
    """Store ``message`` and have a task send it after the current transaction commits."""
    if message.attachments:
        raise ValueError("queued e-mails cannot carry attachments")
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "agora.local"
    message_id = f"<{uuid.uuid4().hex}@{domain}>"
    email = OutgoingEmail.objects.create(
        message_id=message_id,
        subject=str(message.subject),
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(message.to),
        cc=list(message.cc),
        bcc=list(message.bcc),
        reply_to=list(message.reply_to),
        headers={str(k): str(v) for k, v in message.extra_headers.items()},
        body=str(message.body),
        alternatives=[
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        next_attempt_at=timezone.now() + REQUEUE_AFTER,
    )
    # Without a queue the row itself is the fallback: never SMTP in the request.
    enqueue_on_commit(send_email, email.pk, inline_fallback=False)
    return email


def _message(email: OutgoingEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=email.from_email,
        to=email.to,
        cc=email.cc,
        bcc=email.bcc,
        reply_to=email.reply_to,
        headers={**email.headers, "Message-ID": email.message_id},
    )
    for content, mimetype in email.alternatives:
        message.attach_alternative(content, mimetype)
    return message


def is_permanent(error: Exception) -> bool:
    """True for SMTP refusals that no retry will change (5xx; not authentication)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return True
    return (
        isinstance(error, smtplib.SMTPResponseException)
        and not isinstance(error, smtplib.SMTPAuthenticationError)
        and 500 <= error.smtp_code < 600
    )


def deliver_email(email_id: int) -> str:
    """Send one stored e-mail unless it is sent or being sent; return what happened."""
    now = timezone.now()
    claimable = Q(status=OutgoingEmail.Status.PENDING) | Q(
        status=OutgoingEmail.Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    )
    # One UPDATE is the claim: of two workers running the same message, one wins.
    claimed = OutgoingEmail.objects.filter(claimable, pk=email_id).update(
        status=OutgoingEmail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        status = OutgoingEmail.objects.filter(pk=email_id).values_list("status", flat=True).first()
        return f"skipped: {status or 'missing'}"
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        _message(email).send()
    except (smtplib.SMTPException, OSError) as exc:
        failed = is_permanent(exc) or email.attempts >= MAX_ATTEMPTS
        retry_at = timezone.now() + BACKOFF[min(email.attempts, len(BACKOFF)) - 1]
        OutgoingEmail.objects.filter(pk=email_id).update(
            status=OutgoingEmail.Status.FAILED if failed else OutgoingEmail.Status.PENDING,
            next_attempt_at=retry_at,
            claimed_at=None,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        logger.warning(
            "e-mail %s to %s not sent (attempt %d): %s%s",
            email.pk, email.to, email.attempts, exc,
            "; giving up" if failed else f"; next attempt at {retry_at.isoformat()}",
        )  # fmt: skip
        return "failed" if failed else "retry"
    # The body may hold a password-reset link: do not keep it once sent.
    OutgoingEmail.objects.filter(pk=email_id).update(
        status=OutgoingEmail.Status.SENT,
        sent_at=timezone.now(),
        claimed_at=None,
        last_error="",
        body="",
        alternatives=[],
    )
    logger.info("e-mail %s sent to %s", email.pk, email.to)
    return "sent"


@task()
def send_email(email_id: int) -> str:
    """Send the stored e-mail ``email_id`` (idempotent)."""
    return deliver_email(email_id)


def requeue_due_emails(limit: int = 500) -> int:
    """Enqueue again the e-mails whose time has come: retries, lost tasks, dead claims."""
    now = timezone.now()
    due = list(
        OutgoingEmail.objects.filter(
            Q(status=OutgoingEmail.Status.PENDING, next_attempt_at__lte=now)
            | Q(status=OutgoingEmail.Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    if not due:
        return 0
    # Not again next minute if the queue is down: the sweep after REQUEUE_AFTER.
    OutgoingEmail.objects.filter(pk__in=due, status=OutgoingEmail.Status.PENDING).update(
        next_attempt_at=now + REQUEUE_AFTER
    )
    for pk in due:
        enqueue(send_email, pk, inline_fallback=False)
    return len(due)


def purge_old_emails() -> int:
    """Delete the record of e-mails sent (or given up) long enough ago."""
    now = timezone.now()
    deleted, _ = OutgoingEmail.objects.filter(
        Q(status=OutgoingEmail.Status.SENT, sent_at__lt=now - KEEP_SENT)
        | Q(status=OutgoingEmail.Status.FAILED, next_attempt_at__lt=now - 2 * KEEP_SENT)
    ).delete()
    return deleted
