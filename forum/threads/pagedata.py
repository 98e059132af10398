"""What a topic page shows of the topic and its posts, read once per change.

Every viewer of a page reads the same rows: the topic with its forum, the posts
at the page's positions with their authors, the reaction counts, the
Recommended Posts. They are kept in the cache under the topic's page-cache
version (``forum.pagecache``), which every write to the topic moves on: a new
post, an edit, a reaction, a recommendation, a moderator's action. Then only
what is the viewer's own is read per request (their reactions, their read
position). Counters shown beside posts (an author's post count and
reputation) may be up to ``AGORA_PAGE_CACHE_SECONDS`` old, as on guests'
pages. With the setting at 0 every request reads the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import get_object_or_404

from accounts.querysets import UNSHOWN_MEMBER_FIELDS
from forum import pagecache
from forum.posts.models import Post, RecommendedPost
from forum.posts.recommended import recommended_posts
from forum.reactions.models import Reaction
from forum.threads.models import Topic

PREFIX = "tpd:"


@dataclass
class TopicPage:
    topic: Topic
    # Every post at the page's positions, hidden and pending ones too: who may
    # see which is decided per viewer. None when the page is past the last one.
    posts: list[Post] | None = None
    # The page's reaction counts, kept for every viewer; None when read per
    # request (with the cache off the counts and a member's own come in one query).
    reaction_rows: list[dict[str, Any]] | None = None
    recommended: list[RecommendedPost] = field(default_factory=list)


def _topic(pk: int) -> Topic:
    unshown = [
        f"{relation}__{name}"
        for relation in ("author", "hidden_by")
        for name in UNSHOWN_MEMBER_FIELDS
    ]
    return get_object_or_404(
        Topic.objects.select_related("forum__category", "author", "hidden_by").defer(*unshown),
        pk=pk,
    )


def _read(pk: int, page: int, *, shared: bool) -> TopicPage:
    topic = _topic(pk)
    data = TopicPage(topic=topic)
    if 1 <= page <= topic.page_count:
        per_page = settings.AGORA_POSTS_PER_PAGE
        first = (page - 1) * per_page + 1
        data.posts = list(Post.objects.for_topic_page(pk, first, first + per_page - 1))
        if shared:
            ids = [post.pk for post in data.posts]
            data.reaction_rows = list(Reaction.objects.counts_for_posts(ids)) if ids else []
        data.recommended = recommended_posts(pk)
    return data


def load(pk: int, page: int) -> TopicPage:
    """The topic and a page of it, from the cache when nothing changed since."""
    seconds = settings.AGORA_PAGE_CACHE_SECONDS
    if seconds <= 0:
        return _read(pk, page, shared=False)
    key = f"{PREFIX}{pk}:{page}:{pagecache.versions((f'topic:{pk}',))}"
    data = cache.get(key)
    if data is None:
        data = _read(pk, page, shared=True)
        cache.set(key, data, seconds)
    return data
