from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from forum.boards.models import Category, Forum
from forum.posts.services import recount_forum


class ForumInline(admin.TabularInline):
    model = Forum
    fields = ("name", "slug", "position", "read_access", "locked")
    prepopulated_fields = {"slug": ("name",)}
    extra = 0
    show_change_link = True


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "position", "description")
    list_editable = ("position",)
    search_fields = ("name",)
    inlines = [ForumInline]


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "position", "read_access", "locked",
                    "topic_count", "post_count", "last_post_at")  # fmt: skip
    list_filter = ("category", "read_access", "locked")
    list_select_related = ("category",)
    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("category", "name", "slug", "description", "position", "read_access", "locked",
              "topic_count", "post_count", "last_post_at", "last_topic_title")  # fmt: skip
    readonly_fields = ("topic_count", "post_count", "last_post_at", "last_topic_title")
    actions = ["recount"]

    @admin.action(description=_("Recount topics, posts and the last post"), permissions=["change"])
    def recount(self, request: HttpRequest, queryset: QuerySet[Forum]) -> None:
        forums = list(queryset)
        for forum in forums:
            recount_forum(forum)
        self.message_user(
            request,
            ngettext("%(n)d forum recounted.", "%(n)d forums recounted.", len(forums))
            % {"n": len(forums)},
        )
