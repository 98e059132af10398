"""Agora's admin site: the moderation console.

Moderators open it because they are moderators (``permissions.can_open_admin``),
not because of Django's staff flag; they sign in through allauth like
everyone else. The index is a dashboard of open reports, posts awaiting
approval and the latest moderation actions.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum import permissions


class AgoraAdminSite(admin.AdminSite):
    site_title = gettext_lazy("Agora administration")
    site_header = gettext_lazy("Agora administration")
    index_title = gettext_lazy("Moderation console")
    index_template = "admin/agora_index.html"

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        context = super().each_context(request)
        name = _("%(site)s administration") % {"site": settings.SITE_NAME}
        context.update(site_title=name, site_header=name)
        return context

    def has_permission(self, request: HttpRequest) -> bool:
        return permissions.can_open_admin(request.user)

    def admin_view(self, view: Callable[..., Any], cacheable: bool = False) -> Callable[..., Any]:
        """Django's guard, but a signed-in member who may not enter gets 403, not a sign-in page."""
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return guarded

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """Sign in through allauth (e-mail verification, rate limits); members get 403."""
        if request.user.is_authenticated:
            if self.has_permission(request):
                return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
            raise PermissionDenied
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, reverse("account_login"))

    def index(self, request: HttpRequest, extra_context: Any = None) -> TemplateResponse:
        from forum.moderation.models import ModerationAction, Report
        from forum.posts.models import Post

        user = request.user
        dashboard: dict[str, Any] = {}
        if permissions.can_handle_reports(user):
            open_reports = Report.objects.open()
            dashboard["show_reports"] = True
            dashboard["open_report_count"] = open_reports.count()
            dashboard["open_reports"] = list(open_reports.for_queue()[:5])
        if permissions.can_approve_posts(user):
            pending = Post.objects.awaiting_approval()
            dashboard["show_pending"] = True
            dashboard["pending_count"] = pending.count()
            dashboard["pending_posts"] = list(
                pending.select_related("topic", "author").order_by("created_at", "id")[:5]
            )
        if permissions.can_view_moderation_log(user):
            dashboard["recent_actions"] = list(ModerationAction.objects.recent()[:10])
        return super().index(request, {"dashboard": dashboard, **(extra_context or {})})
