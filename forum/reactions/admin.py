from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from forum.reactions import services
from forum.reactions.models import Reaction, ReactionType


@admin.register(ReactionType)
class ReactionTypeAdmin(admin.ModelAdmin):
    """Reaction types are data: their order, whether members can pick them, their weight.

    Saving or deleting a type refreshes the cached list, and a new weight
    recounts the reputation of the members who received it
    (``forum.reactions.receivers``).
    """

    list_display = ["name", "emoji", "position", "enabled", "weight", "times_used"]
    list_editable = ["position", "enabled"]
    list_filter = ["enabled", "weight"]
    search_fields = ["name"]
    ordering = ["position", "id"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReactionType]:
        return super().get_queryset(request).annotate(used=Count("reactions"))

    @admin.display(description=_("times used"), ordering="used")
    def times_used(self, obj: ReactionType) -> int:
        return obj.used


@admin.register(Reaction)
class ReactionAdmin(admin.ModelAdmin):
    """Reactions, for looking up who reacted how; members give and take them on the site."""

    list_display = ["post", "user", "type", "created_at"]
    list_filter = ["type"]
    list_select_related = ["user", "type", "post"]
    search_fields = ["user__username"]
    raw_id_fields = ["post", "user"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Added on the site through the service, which keeps reputation right.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Reaction | None = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Reaction) -> None:
        author_id = obj.post.author_id
        super().delete_model(request, obj)
        services.recount_after_commit([author_id])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Reaction]) -> None:
        authors = list(queryset.values_list("post__author_id", flat=True).distinct())
        super().delete_queryset(request, queryset)
        services.recount_after_commit(authors)
