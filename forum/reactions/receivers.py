"""Signal receivers of the reactions app, connected in ReactionsConfig.ready.

The services keep reputation right for everything they do; these cover what
happens around them in the admin or the shell: a reaction type edited or
deleted, a post or a member deleted (their reactions go with them).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from forum import pagecache
from forum.posts.models import Post
from forum.reactions import services
from forum.reactions.catalog import forget_reaction_types
from forum.reactions.models import ReactionType


@receiver(pre_save, sender=ReactionType)
def note_weight_change(instance: ReactionType, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.pk is None:
        return
    before = ReactionType.objects.filter(pk=instance.pk).values_list("weight", flat=True).first()
    instance._weight_changed = before is not None and before != instance.weight


@receiver(post_save, sender=ReactionType)
def reaction_type_saved(instance: ReactionType, raw: bool = False, **kwargs: Any) -> None:
    forget_reaction_types()
    pagecache.changed("site")
    if not raw and getattr(instance, "_weight_changed", False):
        instance._weight_changed = False
        services.recount_after_commit(services.authors_reacted_to(type=instance))


@receiver(pre_delete, sender=ReactionType)
def reaction_type_deleting(instance: ReactionType, **kwargs: Any) -> None:
    services.recount_after_commit(services.authors_reacted_to(type=instance))


@receiver(post_delete, sender=ReactionType)
def reaction_type_deleted(**kwargs: Any) -> None:
    forget_reaction_types()
    pagecache.changed("site")


@receiver(post_delete, sender=Post)
def post_deleted(instance: Post, **kwargs: Any) -> None:
    if instance.author_id is not None:
        services.recount_after_commit([instance.author_id])


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def member_deleting(instance: Any, **kwargs: Any) -> None:
    # Their reactions go with them: the members they reacted to lose that reputation.
    services.recount_after_commit(services.authors_reacted_to(user=instance))
