"""One shared Redis connection pool, for the few structures the cache API lacks
(hashes for buffered counters, sorted sets for presence).

``get_redis()`` returns None in the embedded default (no ``REDIS_URL``); the
callers then keep the same structure in process memory, which is exactly as
shared as the local-memory cache they run beside.
"""

from __future__ import annotations

from functools import cache

import redis
from django.conf import settings


@cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(
        url, socket_connect_timeout=1, socket_timeout=1, health_check_interval=30
    )


def get_redis() -> redis.Redis | None:
    url = getattr(settings, "REDIS_URL", "")
    return _client(url) if url else None
