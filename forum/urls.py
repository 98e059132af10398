import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from forum import views

urlpatterns = [
    path("", include("forum.boards.urls")),
    path("", include("forum.threads.urls")),
    path("", include("forum.posts.urls")),
    path("", include("forum.reactions.urls")),
    path("", include("accounts.urls")),
    path("", include("forum.search.urls")),
    path("", include("forum.moderation.urls")),
    path("", include("forum.notifications.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}img/favicon.svg")),
]

if settings.SERVE_MEDIA and settings.MEDIA_URL.startswith("/"):
    media_prefix = re.escape(settings.MEDIA_URL.strip("/"))
    urlpatterns.append(
        re_path(rf"^{media_prefix}/(?P<path>.*)$", views.serve_media, name="media"),
    )
