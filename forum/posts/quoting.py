"""Quotes: the markup a Quote button inserts, the headers filled at view time,
and a member's multi-quote selection.

A stored quote block names no one: ``forum.posts.markup`` keeps only the
quoted post's id (``<blockquote class="quote" data-quote="123">``) and an
empty header placeholder. Pages fill the header here, for the reader and at
the time of reading, from the referenced post: "8 minutes ago, spidermike007
said:", the time linking to ``/post/123/`` and the name to the profile. A
quote of a post the reader may not see, or of a post that is gone, keeps its
text and loses its attribution.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from forum import permissions
from forum.humanize import exact_time
from forum.posts.models import Post
from forum.templatetags.agora import reltime

if TYPE_CHECKING:
    from django.contrib.sessions.backends.base import SessionBase

# The exact form markup.py stores (its serializer always writes it this way);
# text and attribute values cannot contain it, since "<" and '"' are escaped there.
QUOTE_MARKER = re.compile(
    r'<blockquote class="quote" data-quote="(\d{1,18})">(\s*)<div class="quote__header"></div>'
)
MAX_QUOTES = 20  # posts quoted at once (multi-quote, ?quote=...)


def quoted_ids(html: str) -> set[int]:
    """The ids of the posts quoted in stored post HTML."""
    return {int(found.group(1)) for found in QUOTE_MARKER.finditer(html)}


def quote_sources(ids: Iterable[int], user: Any) -> dict[int, Post]:
    """The quoted posts ``user`` may see, by id, with authors (one query)."""
    ids = set(ids)
    if not ids:
        return {}
    found = Post.objects.filter(pk__in=ids).select_related("author", "topic__forum")
    return {post.pk: post for post in found if permissions.can_see_post(user, post)}


def quote_header(source: Post, origin: str = "") -> SafeString:
    """ "8 minutes ago, spidermike007 said:", linking the time to the post and the name.

    With ``origin`` ("https://forum.example"), for feeds read elsewhere and
    later: the links are absolute and the time is the date, not "ago".
    """
    when = format_html(
        '<a class="quote__when" href="{}" title="{}">{}</a>',
        origin + source.get_absolute_url(),
        _("Go to the quoted post"),
        exact_time(source.created_at) if origin else reltime(source.created_at),
    )
    if source.author is not None:
        name = format_html(
            '<a class="quote__who" href="{}">{}</a>',
            origin + source.author.get_absolute_url(),
            source.author.username,
        )
    else:
        name = format_html('<span class="quote__who">{}</span>', _("a former member"))
    return format_html(
        '<div class="quote__header">{}</div>',
        format_html(_("{when}, {name} said:"), when=when, name=name),
    )


def fill_quote_headers(html: str, sources: dict[int, Post], origin: str = "") -> SafeString:
    """Stored post HTML with each quote header filled from ``sources``.

    A quote whose post is missing from ``sources`` (gone, or not for this
    reader) keeps its text and gets no header, link or id.
    """

    def fill(found: re.Match) -> str:
        source = sources.get(int(found.group(1)))
        if source is None:
            return '<blockquote class="quote">'
        return format_html(
            '<blockquote class="quote" data-quote="{}">{}{}',
            source.pk,
            found.group(2),
            quote_header(source, origin),
        )

    # The input is a stored, sanitized body_html; what is added is built with format_html.
    return mark_safe(QUOTE_MARKER.sub(fill, html))  # noqa: S308


def attribute_quotes(posts: list[Post], user: Any, origin: str = "") -> None:
    """Set ``display_html`` on each post: its HTML with quote headers for ``user``
    (with ``origin``, headers for a feed: see ``quote_header``).

    One query for all the posts quoted on the page, none when nothing is quoted.
    """
    ids: set[int] = set()
    for post in posts:
        if 'data-quote="' in post.body_html:
            ids |= quoted_ids(post.body_html)
    sources = quote_sources(ids, user)
    for post in posts:
        post.display_html = fill_quote_headers(post.body_html, sources, origin)


# --- Writing quotes ---------------------------------------------------------------


def quote_markup(post: Post) -> str:
    """The source text that quotes ``post``: ``[quote="name, post:123"] … [/quote]``."""
    name = post.author.username if post.author else ""
    attribution = f"{name}, post:{post.pk}" if name else f"post:{post.pk}"
    return f'[quote="{attribution}"]\n{post.body.strip()}\n[/quote]\n'


def quotable_posts(user: Any, ids: Iterable[Any]) -> list[Post]:
    """The posts of ``ids`` that ``user`` may see, oldest first (one query)."""
    wanted = list(dict.fromkeys(int(value) for value in ids if str(value).isdigit()))
    sources = quote_sources(wanted[:MAX_QUOTES], user)
    return sorted(sources.values(), key=lambda post: (post.created_at, post.pk))


def quotes_markup(posts: Iterable[Post]) -> str:
    """Quotes of several posts, one after another, ready for the editor."""
    return "\n".join(quote_markup(post) for post in posts)


# --- Multi-quote: the posts a member marked, per topic, in their session ---------------

SESSION_KEY = "multiquote"
MAX_TOPICS = 20


def selected_posts(session: SessionBase, topic_id: int) -> list[int]:
    """The ids a member marked for quoting in a topic, in the order marked."""
    return list(session.get(SESSION_KEY, {}).get(str(topic_id), []))


def toggle_selected(session: SessionBase, topic_id: int, post_id: int) -> bool:
    """Mark or unmark a post for multi-quote; return whether it is marked now."""
    selection = dict(session.get(SESSION_KEY, {}))
    ids = list(selection.pop(str(topic_id), []))
    if post_id in ids:
        ids.remove(post_id)
    else:
        ids = [*ids, post_id][-MAX_QUOTES:]
    if ids:
        selection[str(topic_id)] = ids  # re-inserted last: the most recent topic
    session[SESSION_KEY] = dict(list(selection.items())[-MAX_TOPICS:])
    return post_id in ids


def take_selected(session: SessionBase, topic_id: int) -> list[int]:
    """Return and forget a member's marked posts in a topic."""
    selection = dict(session.get(SESSION_KEY, {}))
    ids = selection.pop(str(topic_id), [])
    session[SESSION_KEY] = selection
    return list(ids)
