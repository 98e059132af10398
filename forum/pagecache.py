"""A short-lived whole-page cache for guests, as Discourse keeps for anonymous visitors.

Guests all see the same page, so the board index, a forum's topic list and a
topic page are rendered once and kept in the cache (Redis in production) for
``AGORA_PAGE_CACHE_SECONDS``. ``GuestPageCacheMiddleware`` sits near the top
of the middleware stack and serves a kept page before sessions, authentication
or any view run: no database query, no template. What differs per request is
done there too: the "Recently Browsing" block goes in at a marker, and a topic
view is counted (both are cache writes already).

A guest here is a request without a session cookie: without one, Django's
authentication can only find an anonymous user. Other guests (a stale session
cookie, a flash message waiting) get their page rendered as usual.

A page depends on *scopes* ("topic:12", "forum:3", "index", and "site" for
all). Each scope has a version in the cache; the page's key includes them,
and ``changed()`` moves them on when something a guest would see changes (a
new post, an edit, a reaction, a moderator's action), after the transaction
commits. What changes elsewhere (an author's avatar, a quote's source) shows
within the cache's lifetime; relative times are refreshed by the page's
script. A view opts a guest page in with ``keep()``; the middleware is in
``forum.middleware``.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_from_request

from forum.presence.tracking import recently_browsing

# Where a kept page's per-request "Recently Browsing" block goes.
PRESENCE_MARK = mark_safe("<!--agora:recently-browsing-->")  # noqa: S308 (a constant)
VERSION_PREFIX = "pv:"
PAGE_PREFIX = "gp:"
# Response headers a kept page is served without: they belong to one response.
PER_RESPONSE_HEADERS = {"set-cookie", "date", "content-length", "x-agora-cache"}


def enabled() -> bool:
    return settings.AGORA_PAGE_CACHE_SECONDS > 0


def cacheable(request: HttpRequest) -> bool:
    """A plain page view by a guest with nothing of their own on the page."""
    return (
        enabled()
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        # A flash message ("You have signed out") is the guest's own.
        and "messages" not in request.COOKIES
        and "HTTP_HX_REQUEST" not in request.META
    )


def changed(*scopes: str) -> None:
    """Say that what pages of ``scopes`` show has changed (after the commit).

    The scopes of one transaction are gathered and moved on in one cache write
    when it commits: a bulk moderator action logs one line per object, each
    saying "site" again.
    """
    connection = transaction.get_connection()
    pending: set[str] = connection.__dict__.setdefault(_PENDING, set())
    if any(func is _bump_pending for _, func, _ in connection.run_on_commit):
        pending.update(scopes)  # the write is asked for already
        return
    # The first change of this transaction: anything gathered before belongs
    # to one that rolled back (its callback went with it). Outside a
    # transaction the write happens at once.
    pending.clear()
    pending.update(scopes)
    transaction.on_commit(_bump_pending)


_PENDING = "agora_changed_scopes"


def _bump_pending() -> None:
    pending = transaction.get_connection().__dict__.get(_PENDING)
    if not pending:
        return  # an earlier callback of this commit wrote them
    scopes = list(pending)
    pending.clear()
    # A fresh, unique value rather than incr(): it needs no existing key and
    # never repeats a value that a stale page was kept under.
    now = time.time_ns()
    cache.set_many({VERSION_PREFIX + scope: now for scope in scopes}, None)


def topic_changed(topic_id: int, forum_id: int | None = None) -> None:
    """A topic's page changed; so did its forum's topic list and the board index."""
    scopes = [f"topic:{topic_id}", "index"]
    if forum_id is not None:
        scopes.append(f"forum:{forum_id}")
    changed(*scopes)


@dataclass(frozen=True)
class Page:
    """How a guest page is kept: what it depends on, and what to do on each view."""

    scopes: tuple[str, ...]
    presence: str  # the "Recently Browsing" page key
    topic_id: int | None = None  # count a view of this topic


def presence_slot(request: HttpRequest, page: Page) -> str:
    """What the template puts where "Recently Browsing" goes: the block itself, or
    the marker that is filled in per request when the page is kept for guests."""
    return PRESENCE_MARK if cacheable(request) else recently_browsing(request, page.presence)


def begin(request: HttpRequest, page: Page) -> None:
    """Call first in a view whose guest page may be kept: note the versions now,
    before anything is read, so a change made while the page renders is never
    hidden under a newer version."""
    if cacheable(request):
        request.agora_page = (page, versions(page.scopes))  # type: ignore[attr-defined]


def keep(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Hand a guest page (begun with ``begin``, rendered with ``presence_slot``) to
    the middleware, which keeps it and fills in "Recently Browsing"."""
    noted = getattr(request, "agora_page", None)
    if noted is not None:
        response.agora_page = noted  # type: ignore[attr-defined]
    return response


def _version_keys(scopes: tuple[str, ...]) -> list[str]:
    return [VERSION_PREFIX + scope for scope in (*scopes, "site")]


def _joined(found: dict, keys: list[str]) -> str:
    return ".".join(str(found.get(key, 0)) for key in keys)


def versions(scopes: tuple[str, ...]) -> str:
    """The current versions of ``scopes`` (and "site"), as one string (one round trip)."""
    keys = _version_keys(scopes)
    return _joined(cache.get_many(keys), keys)


def _key(request: HttpRequest) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"{PAGE_PREFIX}{get_language_from_request(request)}:{path}"


@dataclass(frozen=True)
class Kept:
    """A kept page: how it was kept, the versions it was made at, and its response."""

    page: Page
    versions: str
    content: bytes
    headers: list[tuple[str, str]]


# Which scopes the page at a key depends on, as this process last kept or served
# it: with them, the page and its versions come back in one cache round trip.
_known_scopes: dict[str, tuple[str, ...]] = {}
KNOWN_SCOPES_MAX = 50_000


def lookup(request: HttpRequest) -> Kept | None:
    """The page kept for this guest request, if it is still current."""
    key = _key(request)
    scopes = _known_scopes.get(key)
    if scopes is None:
        kept = cache.get(key)
        current = versions(kept.page.scopes) if kept is not None else None
    else:
        version_keys = _version_keys(scopes)
        found = cache.get_many([key, *version_keys])
        kept = found.get(key)
        current = _joined(found, version_keys)
        if kept is not None and kept.page.scopes != scopes:
            current = versions(kept.page.scopes)
    if kept is None or kept.versions != current:
        return None
    _remember_scopes(key, kept.page.scopes)
    return kept


def _remember_scopes(key: str, scopes: tuple[str, ...]) -> None:
    if len(_known_scopes) >= KNOWN_SCOPES_MAX:
        _known_scopes.clear()
    _known_scopes[key] = scopes


def store(request: HttpRequest, response: HttpResponse, page: Page, versions: str) -> None:
    """Keep a guest page with the headers every response needs, under the
    versions noted when its view began."""
    if response.status_code != 200 or response.cookies or response.streaming:
        return
    headers = [
        (name, value)
        for name, value in response.items()
        if name.lower() not in PER_RESPONSE_HEADERS
    ]
    kept = Kept(page, versions, response.content, headers)
    key = _key(request)
    cache.set(key, kept, settings.AGORA_PAGE_CACHE_SECONDS)
    _remember_scopes(key, page.scopes)
