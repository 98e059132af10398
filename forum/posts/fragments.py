"""Rendered posts of the topic page, kept in the cache and shared by every viewer
who would see exactly the same thing.

Rendering twenty posts through the template engine is most of a member's topic
page. A post's article depends on the post, its author's panel, what the
viewer may do with it (quote, react, edit, moderate) and a few values computed
at view time (relative times, quote headers): ``render_posts`` hashes all of
that into the key, so a change of any of them renders the post anew, and
members who may do the same things with a post share its rendering. Forms in a
post carry a placeholder instead of the CSRF token; ``fill_csrf`` puts the
request's own token in the finished page.

The template files are part of the key too, so a changed template never
serves an old rendering.
"""

from __future__ import annotations

import hashlib
from functools import cache
from typing import Any

from django.conf import settings
from django.core.cache import cache as django_cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from forum.humanize import relative_time

TEMPLATE = "forum/posts/partials/post.html"
# Every template the post partial includes: a change to one renders posts anew.
TEMPLATES = [
    TEMPLATE,
    "forum/moderation/partials/post_notices.html",
    "forum/moderation/partials/post_tools.html",
    "forum/reactions/partials/reaction_bar.html",
    "forum/reactions/partials/reaction_icon.html",
    "forum/posts/partials/quote_actions.html",
    "forum/posts/partials/multiquote_toggle.html",
    "forum/posts/partials/recommend_action.html",
]
CSRF_PLACEHOLDER = "agora-csrf-token-placeholder"
PREFIX = "pf:"
SECONDS = 10 * 60


@cache
def _templates_stamp() -> str:
    digest = hashlib.sha256()
    for name in TEMPLATES:
        digest.update(get_template(name).template.source.encode())
    return digest.hexdigest()[:16]


def _bar(post: Any) -> tuple:
    bar = getattr(post, "reaction_bar", None)
    if bar is None:
        return ()
    types = lambda t: (t.pk, t.name, t.emoji, t.icon.name if t.icon else "")  # noqa: E731
    return (
        tuple((types(c.type), c.count, c.mine) for c in bar.counts),
        types(bar.mine) if bar.mine else None,
        bar.can_react,
        tuple((types(c.type), c.pressed) for c in bar.choices),
        bar.guest,
    )


def _author(author: Any) -> tuple:
    if author is None:
        return ()
    return (
        author.pk, author.username, author.title, author.post_count, author.reputation,
        author.date_joined.year, author.date_joined.month, author.avatar.name,
        author.avatar_small.name, author.signature_html,
    )  # fmt: skip


def _signature(post: Any, topic: Any) -> str:
    """Everything the post's article shows, as one hash."""
    edited_by = post.edited_by.username if post.edited_by_id and post.edited_by else ""
    hidden_by = post.hidden_by.username if post.hidden_by_id and post.hidden_by else ""
    parts = (
        _templates_stamp(), get_language(), settings.MEDIA_URL, topic.pk, topic.slug,
        post.pk, post.position, post.hidden, post.pending, post.hidden_reason, hidden_by,
        relative_time(post.created_at),
        relative_time(post.edited_at) if post.edited_at else "", edited_by,
        relative_time(post.hidden_at) if post.hidden_at else "",
        getattr(post, "is_recommended", False),
        getattr(post, "display_html", None) or post.body_html,
        _author(post.author), _bar(post),
        getattr(post, "can_quote", False), getattr(post, "multiquoted", False),
        getattr(post, "can_report", False), getattr(post, "can_edit", False),
        getattr(post, "can_hide", False), getattr(post, "can_approve", False),
        getattr(post, "can_view_history", False), getattr(post, "open_reports", 0),
        getattr(post, "can_recommend", False),
    )  # fmt: skip
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def render_posts(posts: list[Any], topic: Any) -> None:
    """Set ``rendered`` on each post: its article, from the cache when the same
    article was rendered before (one cache round trip for the page, one more to
    keep what had to be rendered)."""
    if not posts:
        return
    keys = {post.pk: PREFIX + _signature(post, topic) for post in posts}
    found = django_cache.get_many(list(keys.values()))
    template = get_template(TEMPLATE)
    fresh = {}
    for post in posts:
        html = found.get(keys[post.pk])
        if html is None:
            html = template.render({"post": post, "topic": topic, "csrf_token": CSRF_PLACEHOLDER})
            fresh[keys[post.pk]] = html
        post.rendered = mark_safe(html)  # noqa: S308 (our own template's output)
    if fresh:
        django_cache.set_many(fresh, SECONDS)


def fill_csrf(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Put the request's CSRF token where the kept posts' forms have the placeholder."""
    marker = CSRF_PLACEHOLDER.encode()
    if marker in response.content:
        response.content = response.content.replace(marker, get_token(request).encode())
    return response
