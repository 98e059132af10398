"""Topic view counts, buffered out of the request.

A page view adds one to a buffer (a Redis hash, or a dict in the embedded
default) and never writes to the database; ``flush_views`` moves the buffered
counts into ``Topic.views`` in one statement per batch. It runs from
``manage.py flush_counters`` (scheduled every minute) and from the in-process
job runner of the embedded default. Pages add the pending count to the stored
one, so a view shows at once.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterable

import redis
from django.db import transaction
from django.db.models import Case, F, When

from forum.redis_client import get_redis
from forum.threads.models import Topic

logger = logging.getLogger(__name__)

REDIS_KEY = "agora:topic-views"

_local = Counter()
_local_lock = threading.Lock()


def count_view(topic_id: int) -> None:
    client = get_redis()
    if client is not None:
        try:
            client.hincrby(REDIS_KEY, str(topic_id), 1)
            return
        except redis.RedisError:
            # A view count is not worth a failed page: drop it.
            logger.warning("could not buffer a topic view", exc_info=True)
            return
    with _local_lock:
        _local[topic_id] += 1


def pending_views(topic_ids: Iterable[int]) -> dict[int, int]:
    ids = [int(i) for i in topic_ids]
    if not ids:
        return {}
    client = get_redis()
    if client is not None:
        try:
            values = client.hmget(REDIS_KEY, [str(i) for i in ids])
        except redis.RedisError:
            return {}
        return {i: int(v) for i, v in zip(ids, values, strict=True) if v}
    with _local_lock:
        return {i: _local[i] for i in ids if _local.get(i)}


def drain_views() -> dict[int, int]:
    """Take every buffered view count out of the buffer."""
    client = get_redis()
    if client is not None:
        draining = f"{REDIS_KEY}:draining"
        try:
            # RENAME is atomic: views counted from here on go to a fresh hash.
            client.rename(REDIS_KEY, draining)
        except redis.ResponseError:
            return {}  # nothing buffered
        except redis.RedisError as exc:
            # Redis is down: the counts wait in it (or are lost with it).
            logger.warning("could not drain buffered topic views: %s", exc)
            return {}
        values = client.hgetall(draining)
        client.delete(draining)
        return {int(k): int(v) for k, v in values.items()}
    with _local_lock:
        drained = dict(_local)
        _local.clear()
    return drained


def flush_views(batch_size: int = 500) -> int:
    """Add buffered views to ``Topic.views``; return the number of views written."""
    drained = drain_views()
    items = list(drained.items())
    for start in range(0, len(items), batch_size):
        batch = dict(items[start : start + batch_size])
        with transaction.atomic():
            Topic.objects.filter(pk__in=batch).update(
                views=F("views") + Case(*(When(pk=pk, then=n) for pk, n in batch.items()))
            )
    return sum(drained.values())
