"""E-mail outbox and task infrastructure: queued, sent once, retried, never lost.

The immediate backend runs tasks inline (as in tests and the embedded
default); tests/test_worker.py does the same through a real RQ worker.
"""

from __future__ import annotations

import smtplib
import socket
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from forum.mail import (
    MAX_ATTEMPTS,
    deliver_email,
    is_permanent,
    purge_old_emails,
    queue_email,
    requeue_due_emails,
)
from forum.models import OutgoingEmail
from tests import worker_tasks

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _message(subject: str = "Hello") -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject, "Reset: https://forum.example.com/secret-link", to=["member@example.com"]
    )
    message.attach_alternative("<p>Reset</p>", "text/html")
    return message


# A task queue whose Redis is not there: enqueueing fails at once.
def _unreachable_queue() -> dict[str, object]:
    return {
        "TASKS": {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
        "RQ_QUEUES": {"default": {"URL": f"redis://127.0.0.1:{_closed_port()}/0"}},
    }


def test_queued_email_is_sent_once_with_its_message_id_and_forgets_its_body():
    email = queue_email(_message())
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["member@example.com"] and sent.subject == "Hello"
    assert sent.extra_headers["Message-ID"] == email.message_id
    assert sent.alternatives[0].mimetype == "text/html"

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT and email.attempts == 1
    assert email.body == "" and email.alternatives == []  # the reset link is not kept

    # A retried or duplicated task finds it sent and does nothing.
    assert deliver_email(email.pk) == "skipped: sent"
    assert len(mail.outbox) == 1


def _smtp_server_down(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _closed_port()


def test_smtp_failure_keeps_the_email_and_retries_it_later(settings):
    _smtp_server_down(settings)
    email = queue_email(_message())
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.PENDING and email.attempts == 1
    assert "ConnectionRefusedError" in email.last_error
    assert email.next_attempt_at > timezone.now()  # backoff
    assert "secret-link" in email.body  # not sent yet: still needed

    assert requeue_due_emails() == 0  # not due yet
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert requeue_due_emails() == 1
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT and email.attempts == 2
    assert len(mail.outbox) == 1


def test_email_is_given_up_after_the_last_attempt(settings):
    _smtp_server_down(settings)
    email = queue_email(_message())
    OutgoingEmail.objects.filter(pk=email.pk).update(attempts=MAX_ATTEMPTS - 1)
    assert deliver_email(email.pk) == "failed"
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED and email.attempts == MAX_ATTEMPTS
    assert deliver_email(email.pk) == "skipped: failed"


def test_permanent_smtp_refusals_are_not_retried():
    assert is_permanent(smtplib.SMTPRecipientsRefused({"x@example.com": (550, b"no")}))
    assert is_permanent(smtplib.SMTPDataError(554, b"rejected"))
    assert not is_permanent(smtplib.SMTPDataError(451, b"try later"))
    assert not is_permanent(smtplib.SMTPAuthenticationError(535, b"bad password"))
    assert not is_permanent(ConnectionRefusedError())


def test_a_claim_held_by_a_dead_worker_is_taken_over():
    with override_settings(**_unreachable_queue()), transaction.atomic():
        email = queue_email(_message())
    # Claimed by a worker that died before sending.
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.SENDING, claimed_at=timezone.now() - timedelta(minutes=1)
    )
    assert deliver_email(email.pk) == "skipped: sending"  # a live claim is respected
    assert requeue_due_emails() == 0
    OutgoingEmail.objects.filter(pk=email.pk).update(claimed_at=timezone.now() - timedelta(hours=1))
    assert requeue_due_emails() == 1
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT and len(mail.outbox) == 1


def test_a_queue_that_is_down_delays_the_email_but_loses_neither_it_nor_the_request(
    django_capture_on_commit_callbacks, guest_client
):
    with override_settings(**_unreachable_queue()):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = guest_client.post(
                "/accounts/signup/",
                {
                    "username": "newcomer",
                    "email": "newcomer@example.com",
                    "password1": "a sturdy passphrase 42",
                    "password2": "a sturdy passphrase 42",
                },
            )
        assert callbacks  # the enqueue ran after the commit, and failed quietly
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.PENDING and email.to == ["newcomer@example.com"]
    assert mail.outbox == []

    # The sweeper sends it once the queue (here: the inline backend) works again.
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    assert requeue_due_emails() == 1
    assert len(mail.outbox) == 1 and "confirm" in mail.outbox[0].body.lower()


def test_signup_confirmation_goes_through_the_outbox(guest_client):
    guest_client.post(
        "/accounts/signup/",
        {
            "username": "newcomer",
            "email": "newcomer@example.com",
            "password1": "a sturdy passphrase 42",
            "password2": "a sturdy passphrase 42",
        },
    )
    email = OutgoingEmail.objects.get()
    assert email.status == OutgoingEmail.Status.SENT and email.subject.startswith("[Agora]")
    assert mail.outbox[0].extra_headers["Message-ID"] == email.message_id


def test_old_email_records_are_purged():
    old, recent = queue_email(_message("old")), queue_email(_message("recent"))
    OutgoingEmail.objects.filter(pk=old.pk).update(sent_at=timezone.now() - timedelta(days=15))
    assert purge_old_emails() == 1
    assert list(OutgoingEmail.objects.values_list("pk", flat=True)) == [recent.pk]


def test_attachments_are_refused():
    message = _message()
    message.attach("a.txt", "x", "text/plain")
    with pytest.raises(ValueError, match="attachments"):
        queue_email(message)


# --- retrying (generic) ------------------------------------------------------------------


@override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_a_failing_task_is_enqueued_again_after_a_delay(tmp_path: Path):
    from django_tasks import default_task_backend

    default_task_backend.clear()
    target = str(tmp_path / "out")
    assert worker_tasks.flaky_write.call(target, "x") is None  # fails, enqueued again
    (retry,) = default_task_backend.results
    assert retry.kwargs == {"_attempt": 2} and retry.args == [target, "x"]
    assert retry.task.run_after > timezone.now()

    Path(target + ".failed-once").unlink()
    with pytest.raises(ConnectionError):
        worker_tasks.flaky_write.call(target, "x", _attempt=3)  # the last attempt raises
    assert len(default_task_backend.results) == 1


def test_without_a_deferring_backend_a_failure_is_recorded_not_retried(tmp_path: Path):
    target = str(tmp_path / "out")
    result = worker_tasks.always_fails.enqueue(target)
    assert result.status == "FAILED"
    assert "ConnectionError" in result.errors[0].exception_class_path
    assert Path(target).read_text() == "attempt\n"


def test_the_scheduler_sends_due_emails_and_deletes_expired_sessions(settings):
    import io

    from django.contrib.sessions.models import Session
    from django.core.management import call_command

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    Session.objects.create(
        session_key="expired", session_data="x", expire_date=timezone.now() - timedelta(days=1)
    )
    with override_settings(**_unreachable_queue()), transaction.atomic():
        email = queue_email(_message())
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    out = io.StringIO()
    call_command("run_jobs", "--once", stdout=out)
    assert "ran: send due e-mails again" in out.getvalue()
    assert "ran: delete expired sessions" in out.getvalue()
    assert OutgoingEmail.objects.get(pk=email.pk).status == OutgoingEmail.Status.SENT
    assert not Session.objects.filter(session_key="expired").exists()


def test_the_outbox_is_listed_for_staff_only(client, member_client):
    from tests.factories import UserFactory

    queue_email(_message("Listed"))
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get("/admin/forum/outgoingemail/")
    assert response.status_code == 200 and "Listed" in response.content.decode()
    assert "secret-link" not in response.content.decode()
    # Members are not moderators: the console refuses them.
    assert member_client.get("/admin/forum/outgoingemail/").status_code == 403
