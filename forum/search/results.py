"""Find the posts that match a search, among those the searcher may see.

One code path with a small seam: PostgreSQL matches the stored tsvector with
``websearch_to_tsquery``, ranks with ``ts_rank`` and highlights with
``ts_headline``; SQLite, the embedded default, matches every term of the
parsed query against the stored text (case-insensitive substrings), ranks
title matches first and highlights the page of results in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import Case, Count, F, Q, QuerySet, TextField, Value, When, Window
from django.db.models.functions import Left, Replace, Right
from django.utils import timezone

from forum import permissions
from forum.posts.models import Post
from forum.search.indexing import uses_postgres
from forum.search.query import ParsedQuery
from forum.search.text import (
    NOT_A_TAG,
    START_MARK,
    STOP_MARK,
    excerpt,
    highlight,
    marked_excerpt_to_html,
    marked_to_html,
)

RELEVANCE = "relevance"
NEWEST = "newest"


@dataclass(frozen=True)
class Criteria:
    """A search: the parsed query and the filters of the search form."""

    query: ParsedQuery
    forum_id: int | None = None
    author: str = ""
    after: date | None = None
    before: date | None = None
    topics_only: bool = False
    sort: str = RELEVANCE


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _ts_query(criteria: Criteria) -> SearchQuery:
    return SearchQuery(
        criteria.query.text, search_type="websearch", config=settings.AGORA_SEARCH_CONFIG
    )


def _contains(term: str) -> Q:
    return Q(search_document__text__icontains=term) | Q(search_document__title__icontains=term)


def _substring_match(query: ParsedQuery) -> Q:
    """SQLite: any group whose terms all appear and whose exclusions do not."""
    match = Q()
    for group in query.groups:
        wanted = Q()
        for term in group.include:
            wanted &= _contains(term)
        for term in group.exclude:
            wanted &= ~_contains(term)
        match |= wanted
    return match


def matching_posts(user: Any, criteria: Criteria) -> QuerySet[Post]:
    """The posts ``user`` may see that match ``criteria``, unordered (count them as is)."""
    posts = permissions.visible_posts(user, Post.objects.all())
    if criteria.forum_id:
        posts = posts.filter(topic__forum_id=criteria.forum_id)
    if criteria.author:
        posts = posts.filter(author__username__iexact=criteria.author)
    if criteria.after:
        posts = posts.filter(created_at__gte=_start_of(criteria.after))
    if criteria.before:
        posts = posts.filter(created_at__lt=_start_of(criteria.before + timedelta(days=1)))
    if criteria.topics_only:
        posts = posts.filter(position=1)
    if uses_postgres():
        return posts.filter(search_document__vector=_ts_query(criteria))
    return posts.filter(_substring_match(criteria.query))


def _untagged(field: str) -> Replace:
    """``field`` with typed "<x>" kept as text by ts_headline (see ``NOT_A_TAG``)."""
    return Replace(F(field), Value("<"), Value(f"<{NOT_A_TAG}"), output_field=TextField())


def _ordered(posts: QuerySet[Post], criteria: Criteria) -> QuerySet[Post]:
    """``posts`` in the order asked for: by relevance (then newest), or newest."""
    newest = ("-created_at", "-id")
    if criteria.sort == NEWEST:
        return posts.order_by(*newest)
    if uses_postgres():
        rank = SearchRank(F("search_document__vector"), _ts_query(criteria))
        return posts.annotate(rank=rank).order_by("-rank", *newest)
    in_title = Q()
    for term in criteria.query.highlight_terms:
        in_title |= Q(search_document__title__icontains=term)
    title_hit = Case(When(in_title, then=Value(1)), default=Value(0))
    return posts.annotate(title_hit=title_hit).order_by("-title_hit", *newest)


@dataclass(frozen=True)
class RankedPage:
    """One page of results as post ids in order, and how many results there are
    (None when the page is past the last one: the query saw no row to tell)."""

    ids: list[int]
    count: int | None


def ranked_page(posts: QuerySet[Post], criteria: Criteria, offset: int, size: int) -> RankedPage:
    """The ids of results ``offset`` to ``offset + size`` of ``posts``, and their count.

    One query: the matches are joined, counted and ranked once, and only ids
    leave the database. What a result shows (its topic, author and the
    highlighted excerpt, the costly part) is read for this page alone, by
    ``page_results``.
    """
    rows = list(
        _ordered(posts, criteria)
        .annotate(total=Window(Count("pk")))
        .values_list("pk", "total")[offset : offset + size]
    )
    return RankedPage([pk for pk, _ in rows], rows[0][1] if rows else None)


def page_results(ids: list[int], criteria: Criteria) -> list[Post]:
    """The posts ``ids`` in that order, with what the results page shows of each."""
    if not ids:
        return []
    posts = Post.objects.filter(pk__in=ids).select_related("topic__forum", "author")
    if uses_postgres():
        query = _ts_query(criteria)
        marks = {
            "config": settings.AGORA_SEARCH_CONFIG,
            "start_sel": START_MARK,
            "stop_sel": STOP_MARK,
        }
        posts = posts.annotate(
            marked_title=SearchHeadline(
                _untagged("topic__title"), query, highlight_all=True, **marks
            ),
            marked_excerpt=SearchHeadline(
                _untagged("search_document__text"),
                query,
                max_words=40,
                min_words=20,
                **marks,
            ),
            text_head=Left("search_document__text", 60),
            text_tail=Right("search_document__text", 60),
        )
    else:
        posts = posts.select_related("search_document")
    by_id = {post.pk: post for post in posts}
    results = [by_id[pk] for pk in ids if pk in by_id]
    add_highlights(results, criteria)
    return results


def add_highlights(posts: list[Post], criteria: Criteria) -> None:
    """Give each result ``title_html`` and ``excerpt_html``: escaped, matches in ``<mark>``."""
    terms = criteria.query.highlight_terms
    for post in posts:
        if hasattr(post, "marked_excerpt"):
            post.title_html = marked_to_html(post.marked_title)
            post.excerpt_html = marked_excerpt_to_html(
                post.marked_excerpt, post.text_head, post.text_tail
            )
        else:
            post.title_html = highlight(post.topic.title, terms)
            post.excerpt_html = excerpt(post.search_document.text, terms)
