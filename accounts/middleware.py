from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts.models import User

# "Last visited" needs minutes, not milliseconds: write it at most this often.
LAST_SEEN_RESOLUTION = timedelta(minutes=5)


class LastSeenMiddleware:
    """Record when a member was last seen, at most once per resolution window."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now()
            stale = user.last_seen is None or now - user.last_seen > LAST_SEEN_RESOLUTION
            # The cache gate keeps concurrent requests of one member from all writing.
            if stale and cache.add(
                f"last-seen:{user.pk}", 1, int(LAST_SEEN_RESOLUTION.total_seconds())
            ):
                User.objects.filter(pk=user.pk).update(last_seen=now)
        return response
