"""Background tasks of notifications (the django-tasks API).

Every task takes ids and plain values, and is idempotent: run twice, it
notifies nobody twice and sends no e-mail twice (``forum.notifications.delivery``
and ``forum.notifications.emails`` say how). They are enqueued with
``forum.tasks.enqueue_on_commit``: after the transaction that made the post or
reaction commits, so a worker never looks for a row that is not there yet; with the
immediate backend (the embedded default, tests) they run at once, inside it,
in a savepoint of their own so that a failure cannot spoil the caller's
transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django_tasks import task

from forum.notifications import delivery, emails
from forum.tasks import enqueue_on_commit

EMAILS_PER_TASK = 100


def email_later(notification_ids: list[int]) -> None:
    """Have the e-mails these notifications owe sent by tasks, a hundred at a time."""
    for start in range(0, len(notification_ids), EMAILS_PER_TASK):
        # A queue that is down leaves them pending: the periodic job sends them.
        enqueue_on_commit(
            send_notification_emails,
            notification_ids[start : start + EMAILS_PER_TASK],
            inline_fallback=False,
        )


def _deliver(work: Callable[..., list[int]], *args: Any, **kwargs: Any) -> int:
    """Run ``work`` (a ``delivery`` function) in a savepoint, then have the e-mails it
    owes sent; return how many notifications owe one."""
    with transaction.atomic():
        ids = work(*args, **kwargs)
    email_later(ids)
    return len(ids)


@task()
def notify_new_post(post_id: int, new_topic: bool, quoted: list[int], mentioned: list[int]) -> int:
    """Notify whom a new post quotes and mentions, and the followers of its topic or forum."""
    return _deliver(
        delivery.process_post, post_id, new_topic=new_topic, quoted=quoted, mentioned=mentioned
    )


@task()
def notify_approved_post(post_id: int, new_topic: bool) -> int:
    """Notify as for a new post, once a post held for approval is shown."""
    # Imported here: forum.posts.services imports this module (through services.py).
    from forum.posts.models import QuoteEdge
    from forum.posts.services import mentioned_member_ids

    post = delivery.load_post(post_id)
    if post is None:
        return 0
    quoted = list(
        QuoteEdge.objects.filter(post_id=post_id, quoted_user__isnull=False).values_list(
            "quoted_user_id", flat=True
        )
    )
    return _deliver(
        delivery.process_post,
        post_id,
        new_topic=new_topic,
        quoted=quoted,
        mentioned=mentioned_member_ids(post.body),
    )


@task()
def notify_references(post_id: int, quoted: list[int], mentioned: list[int]) -> int:
    """Notify whom an edited post newly quotes and mentions."""
    return _deliver(delivery.process_references, post_id, quoted=quoted, mentioned=mentioned)


@task()
def notify_reaction(post_id: int, reactor_id: int) -> int:
    """Tell a post's author about a reaction (grouped per post)."""
    return _deliver(delivery.process_reaction, post_id, reactor_id)


@task()
def notify_member(
    kind: str,
    recipient_id: int,
    key: str,
    actor_id: int | None = None,
    post_id: int | None = None,
    topic_id: int | None = None,
    outcome: str = "",
    message: str = "",
) -> int:
    """One notification to one member (recommendations, moderation outcomes)."""
    return _deliver(
        delivery.process_direct,
        kind,
        recipient_id,
        key=key,
        actor_id=actor_id,
        post_id=post_id,
        topic_id=topic_id,
        outcome=outcome,
        message=message,
    )


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """Send the e-mails these notifications owe."""
    return emails.send_notification_emails(notification_ids)


def send_overdue_emails() -> int:
    """Periodic job: enqueue the pending e-mails no task sent in time; return how many."""
    ids = emails.overdue_email_ids()
    email_later(ids)
    return len(ids)


def send_digests() -> int:
    """Periodic job: send the digests that are due."""
    return emails.send_digests()
