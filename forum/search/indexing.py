"""Keep the search index current: the post services call these in their transaction.

A post's document holds its text without markup and, for a topic's first
post, the topic's title. On PostgreSQL the stored tsvector is computed in the
same statement; on SQLite there is no vector and the text is matched directly.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Expression, F, TextField, Value
from django.db.models.functions import Replace

from forum.posts.models import Post
from forum.search.models import SearchDocument
from forum.search.text import plain_text


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def _vector(title: Expression, text: Expression) -> Expression | None:
    """The stored tsvector: the title weighted A, the text B; None off PostgreSQL."""
    if not uses_postgres():
        return None
    config = settings.AGORA_SEARCH_CONFIG
    # A space after "<" keeps typed tags ("<div>") as words for the parser.
    title = Replace(title, Value("<"), Value("< "), output_field=TextField())
    text = Replace(text, Value("<"), Value("< "), output_field=TextField())
    return SearchVector(title, weight="A", config=config) + SearchVector(
        text, weight="B", config=config
    )


def _values(post: Post, title: str) -> dict:
    text = plain_text(post.body_html)
    title = title if post.position == 1 else ""
    vector = _vector(Value(title, output_field=TextField()), Value(text, output_field=TextField()))
    return {"title": title, "text": text, "vector": vector}


def index_new_post(post: Post, *, title: str = "") -> None:
    """Add a just-created post to the index; ``title`` is its topic's (first posts only)."""
    SearchDocument.objects.create(post=post, **_values(post, title))


def reindex_post(post: Post, *, title: str = "") -> None:
    """Bring a post's document up to date after its text or its topic's title changed."""
    values = _values(post, title)
    if not SearchDocument.objects.filter(post_id=post.pk).update(**values):
        SearchDocument.objects.create(post=post, **values)


def reindex_posts(posts: Iterable[Post]) -> int:
    """Rebuild the documents of ``posts`` (with their topics loaded) in two statements."""
    documents = [
        SearchDocument(
            post_id=post.pk,
            title=post.topic.title if post.position == 1 else "",
            text=plain_text(post.body_html),
        )
        for post in posts
    ]
    if not documents:
        return 0
    SearchDocument.objects.bulk_create(
        documents,
        update_conflicts=True,
        unique_fields=["post"],
        update_fields=["title", "text"],
    )
    if uses_postgres():
        SearchDocument.objects.filter(post_id__in=[d.post_id for d in documents]).update(
            vector=_vector(F("title"), F("text"))
        )
    return len(documents)
