"""Site-wide middleware."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse

from forum import pagecache
from forum.presence.tracking import recently_browsing


class GuestPageCacheMiddleware:
    """Serve guests the pages kept by ``forum.pagecache``; keep those views mark.

    It sits right below WhiteNoise, so a kept page is served before sessions,
    authentication, CSRF or any view: the security headers come from
    SecurityMiddleware above it, and the others (Content-Security-Policy,
    X-Frame-Options, Vary) were kept with the page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not pagecache.cacheable(request):
            return self.get_response(request)
        kept = pagecache.lookup(request)
        if kept is not None:
            response = HttpResponse()
            for name, value in kept.headers:
                response[name] = value
            response["X-Agora-Cache"] = "hit"
            return self._fill(request, response, kept.content, kept.page, count=True)
        response = self.get_response(request)
        noted = getattr(response, "agora_page", None)
        if noted is None:
            return response
        page, versions = noted
        pagecache.store(request, response, page, versions)
        return self._fill(request, response, response.content, page)

    @staticmethod
    def _fill(
        request: HttpRequest,
        response: HttpResponse,
        content: bytes,
        page: pagecache.Page,
        *,
        count: bool = False,
    ) -> HttpResponse:
        """Put this request's "Recently Browsing" block where the marker is; with
        ``count``, count the topic view too (in the same round trip to Redis)."""
        if not hasattr(request, "user"):
            # Served before authentication: with no session cookie, a guest.
            request.user = AnonymousUser()
        block = recently_browsing(
            request, page.presence, topic_view=page.topic_id if count else None
        )
        response.content = content.replace(
            pagecache.PRESENCE_MARK.encode(), block.encode(response.charset or "utf-8"), 1
        )
        return response
