"""A short-lived whole-page cache for guests, as Discourse keeps for anonymous visitors.

Guests all see the same page, so the board index, a forum's topic list and a
topic page are rendered once and kept in the cache (Redis in production) for
``AGORA_GUEST_CACHE_SECONDS``. A cached page is served without a database
query. What differs per request is put in afterwards: the "Recently Browsing"
block goes in at a marker, and the view is still counted and recorded
(presence and view counts are cache writes already).

A page depends on *scopes* ("topic:12", "forum:3", "index", "site"). Each
scope has a version in the cache; the page's key includes the versions, and
``changed()`` moves them on when something a guest would see changes (a new
post, an edit, a reaction, a moderator's action), after the transaction
commits. What changes elsewhere (an author's avatar or title, a quote's
source) shows within the cache's lifetime, and relative times are refreshed
by the page's script. Members never get a cached page.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

# Where a cached page's per-request "Recently Browsing" block goes.
PRESENCE_MARK = mark_safe("<!--agora:recently-browsing-->")  # noqa: S308 (a constant)
VERSION_PREFIX = "pv:"
PAGE_PREFIX = "gp:"


def enabled() -> bool:
    return settings.AGORA_GUEST_CACHE_SECONDS > 0


def cacheable(request: HttpRequest) -> bool:
    """A guest's plain page view, with nothing of their own on the page."""
    return (
        enabled()
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not getattr(request, "htmx", False)
        # A flash message ("You have signed out") is the guest's own.
        and "messages" not in request.COOKIES
    )


def _versions(scopes: list[str]) -> str:
    keys = [VERSION_PREFIX + scope for scope in scopes]
    found = cache.get_many(keys)
    return ".".join(str(found.get(key, 0)) for key in keys)


def changed(*scopes: str) -> None:
    """Say that what pages of ``scopes`` show has changed (after the commit)."""

    # A fresh, unique value rather than incr(): it needs no existing key and
    # never repeats a value a stale page was stored under.
    def bump() -> None:
        value = time.time_ns()
        cache.set_many({VERSION_PREFIX + scope: value for scope in scopes}, timeout=None)

    transaction.on_commit(bump)


def topic_changed(topic_id: int, forum_id: int | None = None) -> None:
    """A topic's page changed; so did its forum's topic list and the board index."""
    scopes = [f"topic:{topic_id}", "index"]
    if forum_id is not None:
        scopes.append(f"forum:{forum_id}")
    changed(*scopes)


def _key(request: HttpRequest, scopes: list[str]) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"{PAGE_PREFIX}{get_language()}:{path}:{_versions(scopes)}"


def lookup(
    request: HttpRequest, scopes: list[str], presence: Callable[[], str]
) -> HttpResponse | None:
    """The cached page for this guest request, with its "Recently Browsing" block
    filled in; None when the page must be rendered (then call ``store``).

    Call it before anything else: a cached page exists only for a URL that
    rendered with status 200 for guests, and any change of what guests may see
    (a moderator's action, a forum's access) moves a version it depends on.
    """
    if not cacheable(request):
        return None
    cached = cache.get(_key(request, [*scopes, "site"]))
    if cached is None:
        return None
    content, content_type = cached
    response = HttpResponse(content_type=content_type)
    response["X-Agora-Cache"] = "hit"
    return _fill(content, presence(), response)


def presence_slot(request: HttpRequest, presence: Callable[[], str]) -> str:
    """What the template puts where "Recently Browsing" goes: the block itself, or
    the marker ``store`` fills in when the page is kept for guests."""
    return PRESENCE_MARK if cacheable(request) else presence()


def store(
    request: HttpRequest,
    scopes: list[str],
    response: HttpResponse,
    presence: Callable[[], str],
) -> HttpResponse:
    """Keep a freshly rendered guest page (made with ``presence_slot``) and fill it in."""
    if not cacheable(request):
        return response
    if response.status_code == 200 and not response.cookies and not response.streaming:
        cached = (response.content, response["Content-Type"])
        cache.set(_key(request, [*scopes, "site"]), cached, settings.AGORA_GUEST_CACHE_SECONDS)
    return _fill(response.content, presence(), response)


def _fill(content: bytes, presence_html: str, response: HttpResponse) -> HttpResponse:
    response.content = content.replace(
        PRESENCE_MARK.encode(), presence_html.encode(response.charset or "utf-8"), 1
    )
    return response
