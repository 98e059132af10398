"""Background work through the Django tasks API (the django-tasks backport).

Tasks are plain functions decorated with ``django_tasks.task`` (with Django 6:
``django.tasks.task``). In production the RQ backend queues them in Redis and
``manage.py rqworker`` runs them; in the embedded default and in tests the
immediate backend runs them inline, in the calling process.

Rules for a task of this site:

- it is idempotent: it may run twice (a retry, a sweeper that re-enqueues
  work the queue lost), so it checks what is already done before doing it;
- it takes ids and plain values (JSON), never model instances, and reads the
  rows itself;
- it is enqueued with ``enqueue_on_commit``, so the worker never looks for a
  row that is not committed yet, and a queue that is down never fails the
  request that caused the work;
- ``retrying`` re-enqueues it with a growing delay when it raises.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any, TypeVar

import redis
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task, TaskResult

logger = logging.getLogger(__name__)

T = TypeVar("T")

# What a task queue that is down raises when a task is enqueued.
QUEUE_ERRORS = (redis.RedisError, OSError)


def runs_inline(task: Task) -> bool:
    """True when the task's backend runs tasks in the calling process."""
    return isinstance(task.get_backend(), ImmediateBackend)


def enqueue(
    task: Task, *args: Any, inline_fallback: bool = True, **kwargs: Any
) -> TaskResult | None:
    """Enqueue ``task``; when the queue is unreachable, run it here or leave it.

    With ``inline_fallback`` the work runs in the calling process rather than
    being lost. Without it, the caller must have kept a durable record that a
    periodic job re-enqueues (the e-mail outbox does).
    """
    try:
        return task.enqueue(*args, **kwargs)
    except QUEUE_ERRORS as exc:
        logger.warning(
            "task queue unreachable, %s %s: %s",
            task.name,
            "running it inline" if inline_fallback else "left for the sweeper",
            exc,
        )
    if inline_fallback:
        try:
            task.call(*args, **kwargs)
        except Exception:
            logger.exception("task %s failed inline", task.name)
    return None


def enqueue_on_commit(task: Task, *args: Any, inline_fallback: bool = True, **kwargs: Any) -> None:
    """Enqueue ``task`` once the current transaction commits (at once outside one).

    With the immediate backend (embedded, tests) the task runs at once, in the
    transaction, so what it does is visible to the code that follows.
    """
    if runs_inline(task):
        task.enqueue(*args, **kwargs)
        return
    transaction.on_commit(
        functools.partial(enqueue, task, *args, inline_fallback=inline_fallback, **kwargs),
        robust=True,
    )


RETRY_DELAYS = (10, 60, 300, 900, 3600)


def retrying(
    *,
    attempts: int = 5,
    delays: Sequence[int] = RETRY_DELAYS,
    retry_on: tuple[type[BaseException], ...] = (Exception,),
) -> Callable[[Callable[..., T]], Callable[..., T | None]]:
    """Make a task function re-enqueue itself, after a growing delay, when it raises.

    Put it under ``@task()``. The attempt number travels in the ``_attempt``
    keyword argument. After the last attempt, or on a backend that cannot
    defer a task (the immediate one), the exception propagates and the
    backend records the task as failed.
    """

    def decorate(func: Callable[..., T]) -> Callable[..., T | None]:
        @functools.wraps(func)
        def wrapper(*args: Any, _attempt: int = 1, **kwargs: Any) -> T | None:
            try:
                return func(*args, **kwargs)
            except retry_on as exc:
                this_task: Task = import_string(f"{func.__module__}.{func.__qualname__}")
                if _attempt >= attempts or not this_task.get_backend().supports_defer:
                    raise
                delay = delays[min(_attempt, len(delays)) - 1]
                logger.warning(
                    "task %s failed (attempt %d of %d), retrying in %ds: %s",
                    this_task.name, _attempt, attempts, delay, exc,
                )  # fmt: skip
                run_after = timezone.now() + timedelta(seconds=delay)
                this_task.using(run_after=run_after).enqueue(*args, _attempt=_attempt + 1, **kwargs)
                return None

        return wrapper

    return decorate
