"""Site-level views: health and readiness checks, and user media."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils._os import safe_join
from django.views.decorators.cache import cache_control, never_cache


def healthz(request: HttpRequest) -> HttpResponse:
    """The process is up (no dependency is checked: see /readyz for that)."""
    return HttpResponse("ok", content_type="text/plain")


logger = logging.getLogger(__name__)


def _database_ready() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception as exc:  # any driver error means "not ready"
        logger.warning("readyz: database unreachable: %s", exc)
        return False


def _cache_ready() -> bool:
    # The Redis cache hides its errors from pages (forum/cache.py): ask Redis itself.
    client_of = getattr(getattr(cache, "_cache", None), "get_client", None)
    try:
        if client_of is not None:
            return bool(client_of(write=True).ping())
        cache.set("readyz", 1, 5)
        return cache.get("readyz") == 1
    except Exception as exc:  # any client error means "not ready"
        logger.warning("readyz: cache unreachable: %s", exc)
        return False


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """The database and the cache answer (503 otherwise): this node is fully working."""
    checks = {
        "database": "ok" if _database_ready() else "unreachable",
        "cache": "ok" if _cache_ready() else "unreachable",
    }
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse({"ready": ready, **checks}, status=200 if ready else 503)


# Only images are ever stored as media; anything else is refused rather than
# guessed, so an uploaded file can never be served as HTML or script.
MEDIA_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
               ".gif": "image/gif", ".webp": "image/webp"}  # fmt: skip


@cache_control(public=True, max_age=60 * 60 * 24 * 30, immutable=True)
def serve_media(request: HttpRequest, path: str) -> FileResponse:
    """Serve an uploaded image from local storage, with a fixed image type."""
    suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path else ""
    content_type = MEDIA_TYPES.get(suffix)
    if content_type is None:
        raise Http404
    try:
        full_path = safe_join(str(settings.MEDIA_ROOT), path)
        handle = open(full_path, "rb")  # noqa: SIM115 (FileResponse closes it)
    except (ValueError, FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Content-Disposition"] = "inline"
    return response
