"""Render stored posts again after the markup pipeline changed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from forum.posts import markup
from forum.posts.models import Post
from forum.posts.services import rerender_post


class Command(BaseCommand):
    help = "Re-render posts whose stored HTML is older than the current pipeline."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--all", action="store_true", help="re-render every post, whatever its version"
        )
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, all: bool, batch_size: int, **options: Any) -> None:
        posts = Post.objects.order_by("pk")
        if not all:
            posts = posts.exclude(render_version=markup.RENDER_VERSION)
        done = 0
        posts = posts.only("pk", "body", "author_id", "topic_id").prefetch_related("attachments")
        for post in posts.iterator(chunk_size=batch_size):
            rerender_post(post)
            done += 1
        self.stdout.write(f"Re-rendered {done} posts (pipeline version {markup.RENDER_VERSION}).")
