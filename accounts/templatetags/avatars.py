"""``{% avatar user size %}``: the member's picture, or generated initials."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def avatar(user: Any, size: int = 64, css: str = "") -> SafeString:
    """An avatar at ``size`` pixels; no avatar gives initials on a colour from the name."""
    if user is None:
        return format_html(
            '<span class="avatar avatar--{} avatar--deleted {}" aria-hidden="true">?</span>',
            size,
            css,
        )
    image = user.avatar_small if size <= 64 and user.avatar_small else user.avatar
    if image:
        return format_html(
            '<img class="avatar avatar--{} {}" src="{}" alt="" width="{}" height="{}">',
            size,
            css,
            image.url,
            size,
            size,
        )
    return format_html(
        '<span class="avatar avatar--{} avatar-c{} {}" aria-hidden="true">{}</span>',
        size,
        user.avatar_colour,
        css,
        user.initials,
    )
