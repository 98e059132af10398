"""Page navigation for topic lists and topic pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Paginator


@dataclass(frozen=True)
class PageLinks:
    number: int
    count: int
    items: list[tuple[int | None, str]]  # (page, url); None is a gap
    previous_url: str
    next_url: str

    @property
    def is_paginated(self) -> bool:
        return self.count > 1


def page_numbers(number: int, count: int, around: int = 2) -> list[int | None]:
    """1 … n-2 n-1 [n] n+1 n+2 … last, with None for each gap."""
    shown = {1, count, *range(number - around, number + around + 1)}
    result: list[int | None] = []
    previous = 0
    for page in sorted(p for p in shown if 1 <= p <= count):
        if page - previous > 1:
            result.append(None)
        result.append(page)
        previous = page
    return result


def page_links(number: int, count: int, url_for: Callable[[int], str]) -> PageLinks:
    items = [(p, url_for(p) if p else "") for p in page_numbers(number, count)]
    return PageLinks(
        number=number,
        count=count,
        items=items,
        previous_url=url_for(number - 1) if number > 1 else "",
        next_url=url_for(number + 1) if number < count else "",
    )


class KnownCountPaginator(Paginator):
    """A paginator told the total (a denormalized counter) instead of running COUNT."""

    def __init__(self, object_list: object, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:  # type: ignore[override]
        return self._known_count
