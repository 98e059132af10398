"""The reaction bar under each post: counts by type, the member's own choice.

Read helpers for pages that show posts: ``reaction_bars`` fills a whole page
of posts with one aggregate query (the counts and, for a member, their own
reaction through a conditional count); the types come from the cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from forum import permissions
from forum.posts.models import Post
from forum.reactions.catalog import enabled_types, types_by_id
from forum.reactions.models import Reaction, ReactionType


@dataclass
class ReactionCount:
    type: ReactionType
    count: int
    mine: bool = False


@dataclass
class ReactionChoice:
    type: ReactionType
    pressed: bool


@dataclass
class ReactionBar:
    counts: list[ReactionCount] = field(default_factory=list)
    mine: ReactionType | None = None
    can_react: bool = False
    choices: list[ReactionChoice] = field(default_factory=list)
    guest: bool = False  # a guest's React button sends them to sign in


def most_used_first(reaction_type: ReactionType, count: int) -> tuple[int, int, int]:
    """Sort key: most used first; ties in the admin's order."""
    return (-count, reaction_type.position, reaction_type.pk)


def reaction_bars(posts: list[Post], user: Any, rows: list[dict] | None = None) -> None:
    """Set ``reaction_bar`` on each post (one query for the whole page).

    ``rows`` are the page's counts already read (``counts_for_posts`` without a
    member, kept for every viewer): then only the member's own reactions are
    read. The types come from the cache, and only when the page needs them: a
    guest's page without reactions does not even ask the cache.
    """
    if not posts:
        return
    ids = [post.pk for post in posts]
    if rows is None:
        rows = list(Reaction.objects.counts_for_posts(ids, user))
    elif user.is_authenticated:
        mine = set(
            Reaction.objects.filter(post_id__in=ids, user_id=user.pk).values_list(
                "post_id", "type_id"
            )
        )
        rows = [{**row, "mine": (row["post_id"], row["type_id"]) in mine} for row in rows]
    types = types_by_id() if rows else {}
    by_post: dict[int, list[ReactionCount]] = {}
    for row in rows:
        reaction_type = types.get(row["type_id"])
        if reaction_type is None:  # deleted since the cache was filled
            continue
        by_post.setdefault(row["post_id"], []).append(
            ReactionCount(reaction_type, row["n"], bool(row.get("mine")))
        )
    may_react = {post.pk: permissions.can_react(user, post) for post in posts}
    choosable = enabled_types() if any(may_react.values()) else []
    for post in posts:
        counts = by_post.get(post.pk, [])
        counts.sort(key=lambda c: most_used_first(c.type, c.count))
        mine = next((c.type for c in counts if c.mine), None)
        post.reaction_bar = ReactionBar(
            counts=counts,
            mine=mine,
            can_react=may_react[post.pk],
            choices=[ReactionChoice(t, mine is not None and t.pk == mine.pk) for t in choosable]
            if may_react[post.pk]
            else [],
            guest=not user.is_authenticated,
        )


def reputation_breakdown(member_id: int) -> list[ReactionCount]:
    """The reactions a member's shown posts received, by type, most given first.

    One aggregate query; these are exactly the reactions ``User.reputation`` sums.
    """
    rows = (
        Reaction.objects.received_by(member_id)
        .counted()
        .values("type_id")
        .order_by()
        .annotate(n=Count("id"))
    )
    types = types_by_id()
    counts = [
        ReactionCount(types[row["type_id"]], row["n"]) for row in rows if row["type_id"] in types
    ]
    counts.sort(key=lambda c: most_used_first(c.type, c.count))
    return counts
