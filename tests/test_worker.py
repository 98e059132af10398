"""Tasks run by a real RQ worker process, on the local Redis and PostgreSQL.

The worker is ``manage.py rqworker`` with the production settings (the same
command as the compose ``worker`` service), pointed at the test database and
at the Redis server of ``TEST_REDIS_URL``. E-mails print to its stdout (no EMAIL_HOST: the console
backend), which the tests read. The worker listens on the queue "default" of
a Redis database of its own per pytest-xdist process (each process has its
own test database, and a worker must only see jobs of the tests beside it).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings as django_settings
from django.db import connection

from forum.mail import queue_email
from forum.models import OutgoingEmail
from tests import worker_tasks

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db(transaction=True)


def _queue_url() -> str:
    """TEST_REDIS_URL's server, with a database for this xdist process alone."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    number = int(worker[2:]) if worker[2:].isdigit() else 0
    base = django_settings.TEST_REDIS_URL.rsplit("/", 1)[0]
    return f"{base}/{13 + number % 3}"


def _wait_for(condition: Callable[[], Any], seconds: float = 30.0) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out waiting for the worker")


@pytest.fixture(scope="module")
def worker(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[Path]:
    """A running worker; yields the file its stdout goes to."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL: the worker process must see the test database")
        db = connection.settings_dict
    redis_url = _queue_url()
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"needs Redis at {redis_url}")
    scratch = tmp_path_factory.mktemp("worker")
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(scratch),
        "DJANGO_SETTINGS_MODULE": "forum.settings",
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": "agora-worker-test",
        "ALLOWED_HOSTS": "testserver",
        "AGORA_VAR_DIR": str(scratch),
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "DATABASE_CONN_MAX_AGE": "0",
        "REDIS_URL": redis_url,
    }
    redis.Redis.from_url(redis_url).flushdb()  # this process's own database
    output = scratch / "worker.log"
    with output.open("w") as log:
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "rqworker", "default",
             "--job-class", "django_tasks_rq.Job", "--with-scheduler"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        _wait_for(lambda: "Listening on" in output.read_text() or process.poll() is not None)
        assert process.poll() is None, output.read_text()
        yield output
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def rq_backend(settings: Any) -> None:
    """This test process enqueues into the worker's queue."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": _queue_url()}}


def test_signup_confirmation_is_sent_by_the_worker(worker: Path, rq_backend: None, client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "newcomer",
            "email": "newcomer@example.com",
            "password1": "a sturdy passphrase 42",
            "password2": "a sturdy passphrase 42",
        },
    )
    assert response.status_code == 302
    email = OutgoingEmail.objects.get(to=["newcomer@example.com"])
    # The request only stored and enqueued it; the worker sends it.
    _wait_for(lambda: OutgoingEmail.objects.get(pk=email.pk).status == "sent")
    log = worker.read_text()
    assert "To: newcomer@example.com" in log and f"Message-ID: {email.message_id}" in log
    assert "/accounts/confirm-email/" in log


def test_a_queued_email_is_sent_once_even_when_enqueued_twice(worker: Path, rq_backend: None):
    from django.core.mail import EmailMessage

    from forum.mail import send_email

    email = queue_email(EmailMessage("Twice", "body", to=["twice@example.com"]))
    send_email.enqueue(email.pk)  # a duplicate, as a sweeper could make
    _wait_for(lambda: OutgoingEmail.objects.get(pk=email.pk).status == "sent")
    time.sleep(1.0)  # let the duplicate run too
    assert worker.read_text().count(f"Message-ID: {email.message_id}") == 1
    assert OutgoingEmail.objects.get(pk=email.pk).attempts == 1


def test_a_failing_task_is_retried_by_the_worker(worker: Path, rq_backend: None, tmp_path: Path):
    target = tmp_path / "flaky"
    result = worker_tasks.flaky_write.enqueue(str(target), "done")
    # The first attempt fails and schedules a retry a second later; the
    # worker's scheduler starts it.
    _wait_for(lambda: target.exists() and target.read_text() == "done\n", seconds=60)
    assert (tmp_path / "flaky.failed-once").exists()
    assert result.id
