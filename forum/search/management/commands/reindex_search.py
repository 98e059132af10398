"""Rebuild the search index from the posts (after an upgrade, an import or a config change)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from forum.posts.models import Post
from forum.search.indexing import reindex_posts, uses_postgres
from forum.search.models import SearchDocument


class Command(BaseCommand):
    help = "Rebuild every post's search document (text, topic title and search vector)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        posts = Post.objects.select_related("topic").only(
            "pk", "position", "body_html", "topic__title"
        )
        done = 0
        last_pk = 0
        while True:
            # Walk the primary key in batches, each in its own transaction, so a
            # large forum is reindexed without one long lock or a huge result set.
            batch = list(posts.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
            if not batch:
                break
            with transaction.atomic():
                done += reindex_posts(batch)
            last_pk = batch[-1].pk
        if uses_postgres():
            # Fresh statistics: the planner's guess of how many documents a
            # word matches decides between the GIN index and a scan.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {SearchDocument._meta.db_table}")
        self.stdout.write(f"Reindexed {done} posts for search.")
