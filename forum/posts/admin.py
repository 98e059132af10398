from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from forum import permissions
from forum.posts import services
from forum.posts.models import RecommendedPost


@admin.register(RecommendedPost)
class RecommendedPostAdmin(admin.ModelAdmin):
    """Recommended posts: added and removed here or from the topic page, by the
    members with the "recommend posts" permission. Adding goes through the
    service, so the author is notified."""

    list_display = ["post", "topic", "recommended_by", "note", "created_at"]
    list_select_related = ["post__topic", "recommended_by"]
    raw_id_fields = ["post"]
    fields = ["post", "note"]
    search_fields = ["post__topic__title", "note"]
    date_hierarchy = "created_at"

    @admin.display(description="topic")
    def topic(self, obj: RecommendedPost) -> Any:
        return obj.post.topic

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.may_recommend_posts(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return permissions.may_recommend_posts(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.may_recommend_posts(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.may_recommend_posts(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.may_recommend_posts(request.user)

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, **kwargs)
        if obj is not None:
            return form

        class RecommendForm(form):  # type: ignore[valid-type, misc]
            def clean_post(self) -> Any:
                post = self.cleaned_data["post"]
                if not permissions.can_recommend_post(request.user, post):
                    raise forms.ValidationError(
                        _("Only shown replies (not a topic's first post) can be recommended.")
                    )
                return post

        return RecommendForm

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["post"] if obj is not None else []

    def save_model(
        self, request: HttpRequest, obj: RecommendedPost, form: Any, change: bool
    ) -> None:
        services.recommend_post(obj.post, by=request.user, note=obj.note)

    def delete_model(self, request: HttpRequest, obj: RecommendedPost) -> None:
        services.unrecommend_post(obj.post)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RecommendedPost]) -> None:
        queryset.delete()
