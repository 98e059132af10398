"""A Redis cache that keeps the site serving while Redis is unreachable.

Django's ``RedisCache`` raises on connection errors, which would turn a Redis
restart into 500 errors on every page. ``TolerantRedisCache`` answers misses
instead: ``get`` returns the default, ``set`` stores nothing, ``incr`` behaves
as for a missing key. Cached sessions (``cached_db``) then read the database.

``add`` reports success. Callers use it as a lock or a once-per-period gate,
and while Redis is down an open gate is the right failure (a rate limit that
does not count, a last-seen time written once more) where a shut one locks
everyone out: allauth's rate limiter waits a second for its lock, then
answers 429 to every sign-in, sign-up and password reset.

After a failure the backend does not touch Redis for ``RETRY_AFTER`` seconds,
so a Redis that times out costs one request the timeout, not every request.
Keys whose write or delete failed meanwhile may hold stale values in Redis
(a session changed or ended during the outage, for instance): they are deleted
once Redis answers again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

T = TypeVar("T")

RETRY_AFTER = 2.0
# How many stale keys to remember per process during one outage.
MAX_STALE_KEYS = 10_000


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's Redis client, keeping one ``redis.Redis`` per connection pool.

    Django builds a new ``redis.Redis`` for every cache call, and building one
    fills a table of some 170 response callbacks: on a page served from the
    cache that was most of the work. A ``redis.Redis`` is safe to share between
    threads (each command takes a connection from the pool).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class TolerantRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._stale: set[str] = set()

    # --- the guard ---------------------------------------------------------------

    @property
    def available(self) -> bool:
        """False while the backend is waiting before it tries Redis again."""
        return time.monotonic() >= self._down_until

    def _guard(self, operation: Callable[[], T], fallback: T, stale: Iterable[str] = ()) -> T:
        if not self.available:
            self._remember(stale)
            return fallback
        try:
            if self._down_until:
                # Back after an outage: drop what may be stale before answering anything.
                self._recover()
            return operation()
        except redis.RedisError as exc:
            self._remember(stale)
            with self._lock:
                first = self._down_until == 0.0
                self._down_until = time.monotonic() + RETRY_AFTER
            if first:
                logger.warning("Redis cache unreachable, serving without it: %s", exc)
            return fallback

    def _remember(self, keys: Iterable[str]) -> None:
        with self._lock:
            for key in keys:
                if len(self._stale) < MAX_STALE_KEYS:
                    self._stale.add(key)

    def _recover(self) -> None:
        with self._lock:
            stale = set(self._stale)
        if stale:
            self._cache.get_client(write=True).delete(*stale)
        with self._lock:
            self._stale -= stale
            self._down_until = 0.0
        logger.warning("Redis cache reachable again; %d stale keys deleted", len(stale))

    # --- the cache API -------------------------------------------------------------

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        # True while Redis is down: see the module docstring.
        return self._guard(lambda: RedisCache.add(self, key, value, timeout, version), True)

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._guard(lambda: RedisCache.get(self, key, default, version), default)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        self._guard(
            lambda: RedisCache.set(self, key, value, timeout, version),
            None,
            stale=[self.make_and_validate_key(key, version=version)],
        )

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        return self._guard(lambda: RedisCache.touch(self, key, timeout, version), False)

    def delete(self, key: Any, version: Any = None) -> bool:
        return self._guard(
            lambda: RedisCache.delete(self, key, version),
            False,
            stale=[self.make_and_validate_key(key, version=version)],
        )

    def get_many(self, keys: Any, version: Any = None) -> dict[Any, Any]:
        return self._guard(lambda: RedisCache.get_many(self, keys, version), {})

    def has_key(self, key: Any, version: Any = None) -> bool:
        return self._guard(lambda: RedisCache.has_key(self, key, version), False)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        missing = object()
        result = self._guard(
            lambda: RedisCache.incr(self, key, delta, version),
            missing,
            stale=[self.make_and_validate_key(key, version=version)],
        )
        if result is missing:
            raise ValueError(f"Key '{key}' not found (Redis unreachable)")
        return result  # type: ignore[return-value]

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> list[Any]:
        keys = [self.make_and_validate_key(key, version=version) for key in data]
        return self._guard(
            lambda: RedisCache.set_many(self, data, timeout, version),
            list(data),
            stale=keys,
        )

    def delete_many(self, keys: Any, version: Any = None) -> None:
        keys = list(keys)
        made = [self.make_and_validate_key(key, version=version) for key in keys]
        self._guard(lambda: RedisCache.delete_many(self, keys, version), None, stale=made)

    def clear(self) -> bool:
        return self._guard(lambda: RedisCache.clear(self), False)
