"""Agora's own deployment checks, run by ``manage.py check --deploy``.

``SITE_URL`` is the address e-mails, feeds and unsubscribe links point at;
requests cannot tell it (e-mails are sent by the worker), so a production
site that leaves the default sends every member to ``127.0.0.1``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.http.request import validate_host

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0"}  # noqa: S104 (names, not a bind)


@register(Tags.security, deploy=True)
def check_site_url(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """SITE_URL must be the public address: not a local one, one the site answers to,
    and https when the site is served over https."""
    parts = urlsplit(settings.SITE_URL)
    host = (parts.hostname or "").lower()
    if not parts.scheme or not host:
        return [
            Warning(
                f"SITE_URL ({settings.SITE_URL!r}) is not an absolute address.",
                hint="Set SITE_URL to the public address, such as https://forum.example.com.",
                id="agora.W001",
            )
        ]
    if host in LOCAL_HOSTS:
        return [
            Warning(
                f"SITE_URL is {settings.SITE_URL}: e-mails and feeds would link members to "
                "this machine's local address.",
                hint="Set SITE_URL to the public address, such as https://forum.example.com.",
                id="agora.W002",
            )
        ]
    warnings = []
    if not validate_host(host, settings.ALLOWED_HOSTS):
        warnings.append(
            Warning(
                f"SITE_URL's host {host!r} is not in ALLOWED_HOSTS: links in e-mails "
                "would lead to a 400 Bad Request.",
                hint="Add the host to ALLOWED_HOSTS, or correct SITE_URL.",
                id="agora.W003",
            )
        )
    if settings.SECURE_SSL_REDIRECT and parts.scheme != "https":
        warnings.append(
            Warning(
                "SITE_URL starts with http:// but the site redirects to https.",
                hint="Use https:// in SITE_URL.",
                id="agora.W004",
            )
        )
    return warnings
