"""The reaction types, from the cache: a page view costs no query for them.

The list changes only in the admin; ``forum.reactions.receivers`` forgets the
cached copy whenever a type is saved or deleted.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

from forum.reactions.models import ReactionType

CACHE_KEY = "reactions:types:v1"
CACHE_SECONDS = 60 * 60


def reaction_types() -> list[ReactionType]:
    """Every reaction type, enabled or not, in display order."""
    types = cache.get(CACHE_KEY)
    if types is None:
        types = list(ReactionType.objects.order_by("position", "id"))
        cache.set(CACHE_KEY, types, CACHE_SECONDS)
    return types


def enabled_types() -> list[ReactionType]:
    """The types members can choose from."""
    return [reaction_type for reaction_type in reaction_types() if reaction_type.enabled]


def types_by_id() -> dict[int, ReactionType]:
    return {reaction_type.pk: reaction_type for reaction_type in reaction_types()}


def forget_reaction_types() -> None:
    """Drop the cached list now and again after the transaction commits.

    The second delete covers a page that cached the old rows while the
    change was still uncommitted.
    """
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
