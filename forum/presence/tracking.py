"""Recently Browsing: who viewed a page in the last few minutes, kept in the cache.

A page view records its viewer and reads the page's list in one step, with no
database query: in production three Redis sorted sets per page (visible
members, invisible members, guests) scored by the time of the view, updated
and read by one Lua script, one command; in the embedded default the same three sets live in
process memory behind a lock, exactly as shared as the local-memory cache
beside them (``forum.redis_client``). ZADD replaces a viewer's score
atomically, so concurrent viewers never lose each other's entries, and
entries older than ``AGORA_PRESENCE_MINUTES`` are dropped on every write
(Redis also expires an idle page's keys).

A member is stored as ``"<id>:<username>"`` (usernames hold no colon), so
listing the names costs nothing; a guest as a keyed hash of their address
and browser, never the address itself.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import redis
from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language

from accounts.models import member_slug
from forum import permissions
from forum.redis_client import get_redis
from forum.threads import counters

logger = logging.getLogger(__name__)

REDIS_PREFIX = "agora:presence:"
MEMBERS, INVISIBLE, GUESTS = "m", "i", "g"


@dataclass(frozen=True)
class Viewer:
    pk: int
    username: str
    invisible: bool = False

    @property
    def url(self) -> str:
        return reverse(
            "accounts:profile", kwargs={"pk": self.pk, "slug": member_slug(self.username)}
        )


@dataclass
class Browsing:
    """What "Recently Browsing" shows one viewer."""

    members: list[Viewer] = field(default_factory=list)
    member_count: int = 0  # the members listed, and those beyond the name limit
    guests: int = 0

    @property
    def more(self) -> int:
        return max(0, self.member_count - len(self.members))


def window_seconds() -> int:
    return settings.AGORA_PRESENCE_MINUTES * 60


def page_key(kind: str, pk: int | None = None) -> str:
    """The presence key of a page: ``page_key("topic", 12)``, ``page_key("index")``."""
    return kind if pk is None else f"{kind}:{pk}"


def _guest_id(request: HttpRequest) -> str:
    try:
        address = get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        address = request.META.get("REMOTE_ADDR", "")
    agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    raw = f"{settings.SECRET_KEY}\x00{address}\x00{agent}".encode()
    return hashlib.sha256(raw).hexdigest()[:20]


def _entry(user: Any) -> str:
    return f"{user.pk}:{user.username}"


def _parse(entry: str | bytes, invisible: bool) -> Viewer | None:
    text = entry.decode() if isinstance(entry, bytes) else entry
    pk, _, username = text.partition(":")
    return Viewer(int(pk), username, invisible) if pk.isdigit() and username else None


def browsing(
    request: HttpRequest, page: str, *, now: float | None = None, topic_view: int | None = None
) -> Browsing:
    """Record that ``request``'s viewer is on ``page`` and return who else is.

    Invisible members are listed (marked) only for moderators and for
    themselves; others do not see or count them.
    """
    user = request.user
    member = permissions.is_member(user)
    if member:
        bucket = INVISIBLE if user.browse_invisibly else MEMBERS
        other = MEMBERS if bucket == INVISIBLE else INVISIBLE
        entry = _entry(user)
    else:
        bucket, other, entry = GUESTS, None, _guest_id(request)
    sees_invisible = member and permissions.is_moderator(user)
    now = time.time() if now is None else now
    try:
        found = _store().record_and_read(
            page,
            bucket,
            entry,
            other,
            now=now,
            with_invisible=sees_invisible,
            topic_view=topic_view,  # counted in the same round trip
        )
    except redis.RedisError:
        logger.warning("presence unavailable", exc_info=True)
        return Browsing()
    visible, invisible, member_total, guests = found
    viewers = [v for v in (_parse(e, False) for e in visible) if v]
    total = member_total
    if sees_invisible:
        hidden = [v for v in (_parse(e, True) for e in invisible) if v]
        viewers += hidden
        total += len(hidden)
    elif member and user.browse_invisibly:
        viewers.append(Viewer(user.pk, user.username, True))  # they know they are here
        total += 1
    unique: dict[int, Viewer] = {}
    for viewer in viewers:  # a member renamed within the window shows once
        unique.setdefault(viewer.pk, viewer)
    total -= len(viewers) - len(unique)
    listed = list(unique.values())[: settings.AGORA_PRESENCE_MAX_NAMES]
    return Browsing(members=listed, member_count=max(total, len(listed)), guests=guests)


# --- Where the sets live ----------------------------------------------------------


# One page view against Redis, as one command: record the viewer, drop what
# is older than the window, count the topic view if there is one, and read
# the page's lists. Redis runs a script atomically, and one command instead of
# a pipeline of ten is most of what a guest's kept page costs.
# KEYS: the page's members, invisible members and guests; the view counts.
# ARGV: the viewer's set (1-3), entry, the set to leave (0: none), now, the
# oldest time kept, expiry seconds, names to list, list invisible (0/1), and
# the topic whose view to count ("": none).
_RECORD_AND_READ = """
local bucket = tonumber(ARGV[1])
local oldest = ARGV[5]
redis.call('ZADD', KEYS[bucket], ARGV[4], ARGV[2])
local other = tonumber(ARGV[3])
if other > 0 then redis.call('ZREM', KEYS[other], ARGV[2]) end
for i = 1, 3 do redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', '(' .. oldest) end
redis.call('EXPIRE', KEYS[bucket], ARGV[6])
if ARGV[9] ~= '' then redis.call('HINCRBY', KEYS[4], ARGV[9], 1) end
local limit = tonumber(ARGV[7])
local visible = redis.call('ZREVRANGEBYSCORE', KEYS[1], '+inf', oldest, 'LIMIT', 0, limit)
local invisible = {}
if ARGV[8] == '1' then
    invisible = redis.call('ZREVRANGEBYSCORE', KEYS[2], '+inf', oldest, 'LIMIT', 0, limit)
end
return {visible, invisible, redis.call('ZCOUNT', KEYS[1], oldest, '+inf'),
        redis.call('ZCOUNT', KEYS[3], oldest, '+inf')}
"""
_SETS = (MEMBERS, INVISIBLE, GUESTS)


class _RedisStore:
    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    def record_and_read(
        self,
        page: str,
        bucket: str,
        entry: str,
        other: str | None,
        *,
        now: float,
        with_invisible: bool,
        topic_view: int | None = None,
    ) -> tuple[list[Any], list[Any], int, int]:
        window = window_seconds()
        keys = [f"{REDIS_PREFIX}{page}:{name}" for name in _SETS]
        args = [
            _SETS.index(bucket) + 1,
            entry,
            _SETS.index(other) + 1 if other is not None else 0,
            repr(now),
            repr(now - window),
            window + 60,
            settings.AGORA_PRESENCE_MAX_NAMES,
            int(with_invisible),
            "" if topic_view is None else topic_view,
        ]
        script = _script(self.client)
        visible, invisible, member_total, guests = script(
            keys=[*keys, counters.REDIS_KEY], args=args
        )
        return visible, invisible, int(member_total), int(guests)


@lru_cache(maxsize=8)
def _script(client: redis.Redis) -> Any:
    """The script, registered once per client: redis-py runs it by its SHA and
    loads it again should the server have forgotten it."""
    return client.register_script(_RECORD_AND_READ)


class _LocalStore:
    """The same sets in process memory (the embedded default has one process)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pages: dict[str, dict[str, dict[str, float]]] = {}
        self.swept = 0.0

    def record_and_read(
        self,
        page: str,
        bucket: str,
        entry: str,
        other: str | None,
        *,
        now: float,
        with_invisible: bool,
        topic_view: int | None = None,
    ) -> tuple[list[Any], list[Any], int, int]:
        if topic_view is not None:
            counters.count_view(topic_view)
        oldest = now - window_seconds()
        limit = settings.AGORA_PRESENCE_MAX_NAMES
        with self.lock:
            if now - self.swept > 60:
                self._sweep(oldest)
                self.swept = now
            sets = self.pages.setdefault(page, {MEMBERS: {}, INVISIBLE: {}, GUESTS: {}})
            sets[bucket][entry] = now
            if other is not None:
                sets[other].pop(entry, None)
            for name, scores in sets.items():
                sets[name] = {e: t for e, t in scores.items() if t >= oldest}
            by_time = sorted(sets[MEMBERS].items(), key=lambda item: -item[1])
            visible = [e for e, _ in by_time[:limit]]
            invisible = (
                [e for e, _ in sorted(sets[INVISIBLE].items(), key=lambda item: -item[1])][:limit]
                if with_invisible
                else []
            )
            return visible, invisible, len(sets[MEMBERS]), len(sets[GUESTS])

    def _sweep(self, oldest: float) -> None:
        for page in list(self.pages):
            sets = self.pages[page]
            if all(t < oldest for scores in sets.values() for t in scores.values()):
                del self.pages[page]

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()


_local = _LocalStore()


def _store() -> _RedisStore | _LocalStore:
    client = get_redis()
    return _RedisStore(client) if client is not None else _local


def clear_local() -> None:
    """Forget every page's viewers kept in process memory (tests)."""
    _local.clear()


def recently_browsing(request: HttpRequest, page: str, *, topic_view: int | None = None) -> str:
    """Record this view of ``page`` and render its "Recently Browsing" block;
    ``topic_view`` also counts a view of that topic, in the same round trip."""
    found = browsing(request, page, topic_view=topic_view)
    return _render_block(tuple(found.members), found.member_count, found.guests, get_language())


@lru_cache(maxsize=4096)
def _render_block(
    members: tuple[Viewer, ...], member_count: int, guests: int, language: str
) -> str:
    # The same viewers make the same block: on a busy page most views render
    # nothing (the guests' kept pages spend most of their time here otherwise).
    browsing_now = Browsing(list(members), member_count, guests)
    return render_to_string(
        "forum/presence/partials/recently_browsing.html", {"browsing": browsing_now}
    )
