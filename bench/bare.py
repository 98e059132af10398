"""The yardstick: a bare Django 5.2 view returning 30 KB, served by the same
gunicorn as Agora in the same run, so results read as ratios on a noisy machine.

    gunicorn bench.bare:application
"""

from __future__ import annotations

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path

BODY = ("<p>" + "x" * 96 + "</p>\n") * 293  # about 30 KB

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-bare-view",  # noqa: S106 (a throwaway benchmark server)
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)


def page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BODY)


urlpatterns = [path("", page)]

application = get_wsgi_application()
