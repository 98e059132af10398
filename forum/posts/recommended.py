"""The "Recommended Posts" block of a topic page: read helpers.

One query for the block on every page of a topic; the badge on a post in
the stream comes with the page's posts (``select_related("recommendation")``).
"""

from __future__ import annotations

from html.parser import HTMLParser

from django.conf import settings
from django.utils.text import Truncator

from accounts.querysets import panel_fields
from forum.posts.models import RecommendedPost

EXCERPT_CHARS = 220


class _Excerpt(HTMLParser):
    """The words of stored post HTML, without the quotes it carries."""

    SKIP = frozenset({"blockquote", "pre"})
    # Tags that separate words: "<p>end</p><p>start" is not "endstart".
    BREAKING = frozenset(
        {"br", "div", "h3", "h4", "h5", "h6", "hr", "img", "li", "ol", "p", "table", "td",
         "th", "tr", "ul"}
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIP:
            self.depth += 1
        if tag in self.BREAKING or tag in self.SKIP:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.depth:
            self.depth -= 1
        if tag in self.BREAKING or tag in self.SKIP:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)


def excerpt(html: str, length: int = EXCERPT_CHARS) -> str:
    """A plain-text beginning of a post (escape it when showing it)."""
    parser = _Excerpt()
    parser.feed(html)
    parser.close()
    text = " ".join("".join(parser.parts).split())
    return Truncator(text).chars(length)


def recommended_posts(topic_id: int) -> list[RecommendedPost]:
    """The topic's recommended posts that are shown, in reading order, with their
    authors and an ``excerpt`` each (one query)."""
    recommendations = list(
        RecommendedPost.objects.filter(
            post__topic_id=topic_id, post__hidden=False, post__pending=False
        )
        .select_related("post__author", "recommended_by")
        .only(
            "post",
            "note",
            "created_at",
            "recommended_by__username",
            "post__topic_id",
            "post__position",
            "post__body_html",
            "post__created_at",
            "post__author",
            *panel_fields("post__author"),
        )  # fmt: skip
        .order_by("post__position")[: settings.AGORA_RECOMMENDED_POSTS_MAX]
    )
    for recommendation in recommendations:
        recommendation.excerpt = excerpt(recommendation.post.body_html)
    return recommendations
