"""Site-level views: health check and user media."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils._os import safe_join
from django.views.decorators.cache import cache_control


def healthz(request: HttpRequest) -> HttpResponse:
    """The process is up (no dependency is checked: see /readyz for that)."""
    return HttpResponse("ok", content_type="text/plain")


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
