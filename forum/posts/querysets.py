from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models

from accounts.querysets import panel_fields


class PostQuerySet(models.QuerySet):
    def shown(self) -> PostQuerySet:
        """Posts everyone may see: not hidden, not awaiting approval."""
        return self.filter(hidden=False, pending=False)

    def awaiting_approval(self) -> PostQuerySet:
        return self.filter(pending=True)

    def for_topic_page(self, topic_id: int, first: int, last: int) -> PostQuerySet:
        """Posts at positions ``first``..``last`` of a topic, with their authors'
        panels, the names of who edited or hid them, and their recommendation
        (for the badge); not the Markdown source, which the page does not show."""
        post_fields = [f.name for f in self.model._meta.concrete_fields if f.name != "body"]
        return (
            self.filter(topic_id=topic_id, position__gte=first, position__lte=last)
            .select_related("author", "edited_by", "hidden_by", "recommendation")
            .only(
                *post_fields,
                *panel_fields("author"),
                "edited_by__username",
                "hidden_by__username",
                "recommendation__post",
            )
            .order_by("position")[
                # The LIMIT tells the planner how few rows the range holds: without
                # it, on a long topic it expects most of the topic and joins by hash.
                : last - first + 1
            ]
        )


class AttachmentQuerySet(models.QuerySet):
    def attachable(self, user: Any, post: Any = None) -> AttachmentQuerySet:
        """What ``user`` may attach to ``post``: their own unattached uploads, and
        the images ``post`` already has (an editor may keep them)."""
        mine = models.Q(uploader=user, post__isnull=True)
        if post is not None and post.pk:
            return self.filter(mine | models.Q(post=post))
        return self.filter(mine)

    def stale(self, before: datetime) -> AttachmentQuerySet:
        """Uploads never attached to a post, older than ``before``."""
        return self.filter(post__isnull=True, created_at__lt=before)
