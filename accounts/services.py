"""Write operations on members."""

from __future__ import annotations

from accounts.models import User

# forum.posts.markup is a leaf module (no models, no queries): every layer may
# use it, and it stays the only place that sanitizes HTML.
from forum.posts import markup


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
