"""Write operations on members."""

from __future__ import annotations

import logging
import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.fields.files import FieldFile

from accounts.models import User

# forum.images and forum.posts.markup are pure modules (no models, no
# queries): every layer may use them. markup stays the only place that
# sanitizes HTML; images the only one that decodes uploads.
from forum import images
from forum.posts import markup

logger = logging.getLogger(__name__)

# The sizes the pages use: ``{% avatar user size %}`` shows the small one up
# to 64 px (sharp on high-density screens at 32 px) and the large one above.
AVATAR_SIZE = 200
AVATAR_SMALL_SIZE = 64


def update_profile(
    user: User,
    *,
    signature: str,
    browse_invisibly: bool,
    auto_follow: bool,
    title: str | None = None,
) -> User:
    """Save a member's profile settings; ``title`` is None when they may not set it."""
    user.signature = signature.strip()
    user.signature_html = markup.render_signature(user.signature) if user.signature else ""
    user.browse_invisibly = browse_invisibly
    user.auto_follow = auto_follow
    fields = ["signature", "signature_html", "browse_invisibly", "auto_follow"]
    if title is not None:
        user.title = title.strip()
        fields.append("title")
    user.save(update_fields=fields)
    return user


def _delete_later(files: list[FieldFile]) -> None:
    """Delete stored files once the transaction that replaced them commits."""
    names = [(stored.storage, stored.name) for stored in files if stored]

    def delete() -> None:
        for storage, name in names:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("could not delete %s", name)

    transaction.on_commit(delete)


@transaction.atomic
def set_avatar(user: User, *, image: images.ProcessedImage) -> User:
    """Give ``user`` a new avatar from an image made safe by ``forum.images``:
    cropped square at both sizes, under new random names; the old files go."""
    old = [user.avatar, user.avatar_small]
    _delete_later(old)
    token = secrets.token_hex(8)
    for field, size in (("avatar", AVATAR_SIZE), ("avatar_small", AVATAR_SMALL_SIZE)):
        version = images.square(image, size)
        getattr(user, field).save(
            f"{token}-{size}.{version.extension}", ContentFile(version.content), save=False
        )
    user.save(update_fields=["avatar", "avatar_small"])
    return user


@transaction.atomic
def remove_avatar(user: User) -> User:
    """Go back to the generated avatar (initials on a colour)."""
    _delete_later([user.avatar, user.avatar_small])
    user.avatar = user.avatar_small = ""
    user.save(update_fields=["avatar", "avatar_small"])
    return user
