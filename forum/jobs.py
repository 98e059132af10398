"""Periodic jobs, and the two ways they run.

Production runs ``manage.py run_jobs`` as its own process (the ``scheduler``
service in docker compose). The embedded default has no second process and
keeps its buffers in process memory, so there the jobs run in a daemon thread
of the web process itself, started by its first request
(``AGORA_INPROCESS_JOBS``, on by default without Redis).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.core.signals import request_started
from django.db import close_old_connections

from forum.mail import purge_old_emails, requeue_due_emails
from forum.notifications.tasks import send_digests, send_overdue_emails
from forum.posts.services import delete_stale_uploads
from forum.threads.counters import flush_views

logger = logging.getLogger(__name__)


@dataclass
class Job:
    name: str
    every_seconds: int
    run: Callable[[], object]
    last_run: float = field(default=0.0)


def default_jobs() -> list[Job]:
    """Every periodic job of the site, with how often it runs."""
    return [
        Job("flush topic view counts", 60, flush_views),
        Job("remove unattached uploads", 60 * 60, delete_stale_uploads),
        Job("send due e-mails again", 60, requeue_due_emails),
        Job("delete old e-mail records", 60 * 60 * 24, purge_old_emails),
        Job("delete expired sessions", 60 * 60 * 24, clear_expired_sessions),
        Job("send notification e-mails left behind", 5 * 60, send_overdue_emails),
        Job("send notification digests", 30 * 60, send_digests),
    ]


def clear_expired_sessions() -> None:
    """Delete expired sessions from the database (Django's clearsessions)."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()


def run_due(jobs: list[Job], now: float | None = None) -> list[str]:
    """Run each job whose interval has passed; return the names that ran."""
    now = time.monotonic() if now is None else now
    ran = []
    for job in jobs:
        if now - job.last_run < job.every_seconds:
            continue
        job.last_run = now
        try:
            job.run()
        except Exception:
            # One failing job must not stop the others or the loop.
            logger.exception("periodic job failed: %s", job.name)
        ran.append(job.name)
    return ran


def run_forever(stop: threading.Event, tick_seconds: float = 5.0) -> None:
    jobs = default_jobs()
    for job in jobs:
        # The first run one interval from now, not at start-up; but a daily job
        # no later than in five minutes, or a scheduler restarted more often
        # than daily (every deploy) would never run it.
        job.last_run = time.monotonic() - job.every_seconds + min(job.every_seconds, 300)
    while not stop.wait(tick_seconds):
        # A long-lived loop must not hold a broken or stale connection.
        close_old_connections()
        run_due(jobs)
    run_due([Job(j.name, 0, j.run) for j in jobs])  # flush what is buffered on the way out


_started = threading.Lock()
_stop = threading.Event()
_thread: threading.Thread | None = None


def start_in_process(**kwargs: object) -> None:
    """Start the job thread once per process (connected to request_started)."""
    global _thread
    with _started:
        if _thread is not None:
            return
        _thread = threading.Thread(
            target=run_forever, args=(_stop,), name="agora-jobs", daemon=True
        )
        _thread.start()
    request_started.disconnect(start_in_process)
