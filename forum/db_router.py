"""Send read-only queries to PostgreSQL replicas, and everything else to the primary.

With ``DATABASE_REPLICA_URLS`` set, the settings add the aliases ``replica_0``,
``replica_1``... and install ``PrimaryReplicaRouter``. A read goes to a
replica only when all of these hold:

- it runs inside a GET, HEAD or OPTIONS request (``ReplicaPinningMiddleware``
  allows it); workers, the scheduler and management commands always read the
  primary, because they usually read what was just written;
- the client has not written recently: after any POST the middleware sets a
  short-lived cookie, and while it lasts that client reads the primary, so it
  sees its own reply even while the replicas lag behind;
- nothing has been written earlier in the same request (a write pins the rest
  of the request to the primary);
- no transaction is open on the primary (``atomic`` blocks read what they write).

Replicas are physical copies of the primary: nothing is ever migrated on them.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

PIN_COOKIE = "agora_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# May reads in this context go to a replica? Off unless a safe request allows it.
_replica_reads: ContextVar[bool] = ContextVar("agora_replica_reads", default=False)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica_")]


@contextmanager
def replica_reads(allowed: bool = True) -> Iterator[None]:
    """Allow (or forbid) replica reads for the code inside the block."""
    token = _replica_reads.set(allowed)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def pin_to_primary() -> None:
    """Read the primary for the rest of this request (or context)."""
    _replica_reads.set(False)


class PrimaryReplicaRouter:
    def __init__(self) -> None:
        self.replicas = replica_aliases()

    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        if (
            not self.replicas
            or not _replica_reads.get()
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        return random.choice(self.replicas)  # noqa: S311 (load spreading, not security)

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        pin_to_primary()
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # Every alias holds the same data: objects read from a replica may
        # point to objects of the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


class ReplicaPinningMiddleware:
    """Allow replica reads for safe requests of clients that have not just written."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not replica_aliases():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        safe = request.method in SAFE_METHODS
        token = _replica_reads.set(safe and PIN_COOKIE not in request.COOKIES)
        try:
            response = self.get_response(request)
        finally:
            _replica_reads.reset(token)
        if not safe:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response
