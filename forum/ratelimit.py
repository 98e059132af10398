"""Abuse control for new posts: how fast, how many links, and what waits for approval.

The limits are settings (``AGORA_POST_INTERVAL_SECONDS``, ``AGORA_NEW_MEMBER_*``,
``AGORA_APPROVE_*``) and are kept in Django's cache, so they hold across web
processes when the cache is Redis. Moderators are never limited.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import ngettext

from forum import permissions

# Counted in the Markdown source: every URL (bare, autolinked or in [text](url))
# and every image. The pipeline turns bare URLs into links, so both count.
_URL = re.compile(r"(?i)(?:\bhttps?://|\bwww\.)")
_IMAGE = re.compile(r"!\[[^\]\n]*\]\(")
_ATTACHED_IMAGE = re.compile(r"!\[[^\]\n]*\]\(attachment:")


@dataclass(frozen=True)
class Refusal:
    """Why a post is refused, and the HTTP status to answer with."""

    message: str
    status: int


def count_links_and_images(body: str, attachments: int = 0) -> tuple[int, int]:
    """Return how many links (images excluded) and images a post has: those of
    ``body`` and its ``attachments`` (attached images the text places count once)."""
    linked_images = len(_IMAGE.findall(body)) - len(_ATTACHED_IMAGE.findall(body))
    links = max(0, len(_URL.findall(body)) - linked_images)
    return links, linked_images + attachments


def is_new_member(user: Any) -> bool:
    days = settings.AGORA_NEW_MEMBER_DAYS
    return days > 0 and timezone.now() - user.date_joined < timedelta(days=days)


def _content_refusal(user: Any, body: str, attachments: int) -> Refusal | None:
    if not is_new_member(user):
        return None
    links, images = count_links_and_images(body, attachments)
    max_links = settings.AGORA_NEW_MEMBER_MAX_LINKS
    if links > max_links:
        return Refusal(
            ngettext(
                "New members may post at most %(n)d link a post; this one has %(count)d. "
                "Remove some and post again.",
                "New members may post at most %(n)d links a post; this one has %(count)d. "
                "Remove some and post again.",
                max_links,
            )
            % {"n": max_links, "count": links},
            400,
        )
    max_images = settings.AGORA_NEW_MEMBER_MAX_IMAGES
    if images > max_images:
        return Refusal(
            ngettext(
                "New members may post at most %(n)d image a post; this one has %(count)d. "
                "Remove some and post again.",
                "New members may post at most %(n)d images a post; this one has %(count)d. "
                "Remove some and post again.",
                max_images,
            )
            % {"n": max_images, "count": images},
            400,
        )
    return None


def _rate_refusal(user: Any) -> Refusal | None:
    now = time.time()
    interval = settings.AGORA_POST_INTERVAL_SECONDS
    if interval > 0:
        key = f"post-interval:{user.pk}"
        # add() is atomic: of two posts sent at once, only one gets the slot.
        if not cache.add(key, now, interval):
            last = cache.get(key) or now
            wait = max(1, math.ceil(interval - (now - last)))
            return Refusal(
                ngettext(
                    "You are posting too fast. Wait %(n)d second and send your post again.",
                    "You are posting too fast. Wait %(n)d seconds and send your post again.",
                    wait,
                )
                % {"n": wait},
                429,
            )
    per_hour = settings.AGORA_NEW_MEMBER_POSTS_PER_HOUR
    if per_hour > 0 and is_new_member(user):
        hour = int(now // 3600)
        key = f"post-hour:{user.pk}:{hour}"
        cache.add(key, 0, 3600 + 60)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between add() and incr()
            cache.set(key, 1, 3600 + 60)
            count = 1
        if count > per_hour:
            minutes = max(1, math.ceil(((hour + 1) * 3600 - now) / 60))
            return Refusal(
                ngettext(
                    "New members may post %(limit)d times an hour. "
                    "Try again in %(n)d minute; your text is kept below.",
                    "New members may post %(limit)d times an hour. "
                    "Try again in %(n)d minutes; your text is kept below.",
                    minutes,
                )
                % {"limit": per_hour, "n": minutes},
                429,
            )
    return None


def check_new_post(user: Any, body: str, *, attachments: int = 0) -> Refusal | None:
    """Refuse a new post that breaks a limit; otherwise count it against the rate.

    Call once the form is valid, just before saving: an accepted post takes
    its place in the member's rate.
    """
    if permissions.is_moderator(user):
        return None
    return _content_refusal(user, body, attachments) or _rate_refusal(user)


def needs_approval(user: Any, body: str, *, attachments: int = 0) -> bool:
    """Whether a new post by ``user`` waits for a moderator before anyone else sees it."""
    if permissions.is_moderator(user):
        return False
    first_posts = settings.AGORA_APPROVE_FIRST_POSTS
    if first_posts > 0 and user.post_count < first_posts:
        return True
    hours = settings.AGORA_APPROVE_LINKS_HOURS
    if hours > 0 and timezone.now() - user.date_joined < timedelta(hours=hours):
        links, images = count_links_and_images(body, attachments)
        return links + images > 0
    return False
