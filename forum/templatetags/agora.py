"""Template tags shared by every page."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from forum.humanize import exact_time, relative_time

register = template.Library()


@register.simple_tag
def reltime(value: datetime | None) -> SafeString | str:
    """``<time>`` with the relative time as text and the exact time as title."""
    if value is None:
        return ""
    return format_html(
        '<time datetime="{}" title="{}" data-relative>{}</time>',
        value.isoformat(),
        exact_time(value),
        relative_time(value),
    )


@register.inclusion_tag("partials/pagination.html")
def pagination(pages: object, label: str = "") -> dict:
    """Render a page list built by ``forum.pagination.page_links``."""
    return {"pages": pages, "label": label}


@register.filter
def page_shortcuts(count: int) -> list[int | None]:
    """Page links for a topic row: 1 2 3 … last, with None for the gap."""
    if count <= 5:
        return list(range(1, count + 1))
    return [1, 2, 3, None, count]


@register.filter
def topic_page_url(topic: object, page: int) -> str:
    return topic.get_page_url(page)  # type: ignore[attr-defined]
