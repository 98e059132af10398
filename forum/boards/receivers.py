"""Signal receivers of the boards app, connected in BoardsConfig.ready."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from forum import pagecache
from forum.boards.models import Category, Forum


@receiver(post_save, sender=Forum)
@receiver(post_delete, sender=Forum)
@receiver(post_save, sender=Category)
@receiver(post_delete, sender=Category)
def structure_changed(raw: bool = False, update_fields: Any = None, **kwargs: Any) -> None:
    """A forum or category was edited (in the admin): names, order and who may read
    show on every page, so guests' cached pages are renewed. The services'
    counter updates are UPDATE statements and send no signal."""
    if not raw:
        pagecache.changed("site")
