from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from forum.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Notifications, for looking up what a member was told; written by the site only."""

    list_display = ["recipient", "kind", "actor", "actor_count", "post", "updated_at", "read_at",
                    "emailed_at"]  # fmt: skip
    list_filter = ["kind", "outcome"]
    list_select_related = ["recipient", "actor", "post"]
    search_fields = ["recipient__username", "actor__username", "key"]
    raw_id_fields = ["recipient", "actor", "post", "topic"]
    date_hierarchy = "updated_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
