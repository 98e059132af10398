"""Topics in the moderation console: find them, lock, pin, hide, move and merge them.

Every action calls the same service as the topic page's tools
(``forum.moderation.services``), which writes the moderation log. Topics
are read-only here (they are written on the site); only superusers delete,
and a delete goes through the service too, so counters stay right.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from forum import permissions
from forum.moderation import services
from forum.moderation.admin_actions import action_page, bound, tell
from forum.moderation.forms import MergeForm, MoveForm, ReasonForm
from forum.threads.models import Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("title", "forum", "author", "created_at", "reply_count", "last_post_at",
                    "locked", "pinned", "hidden", "pending")  # fmt: skip
    list_filter = ("forum", "locked", "pinned", "hidden", "pending", "created_at")
    list_select_related = ("forum", "author")
    search_fields = ("title", "author__username")
    search_help_text = gettext_lazy("Search by title or by the name of who started it.")
    date_hierarchy = "created_at"
    ordering = ("-last_post_at", "-id")
    fields = ("title", "forum", "author", "created_at", "on_site", "posts", "reply_count",
              "views", "last_post_at", "locked", "pinned", "pending", "hidden", "hidden_by",
              "hidden_at", "hidden_reason")  # fmt: skip
    readonly_fields = fields
    actions = ["lock_topics", "unlock_topics", "pin_topics", "unpin_topics",
               "hide_topics", "unhide_topics", "move_topics", "merge_topics"]  # fmt: skip

    # --- What moderators may do here -------------------------------------------

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # topics are started on the site

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # changes go through the actions, which keep the log

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_delete_permanently(request.user)

    def has_lock_permission(self, request: HttpRequest) -> bool:
        return permissions.can_lock_topic(request.user)

    def has_pin_permission(self, request: HttpRequest) -> bool:
        return permissions.can_pin_topic(request.user)

    def has_hide_permission(self, request: HttpRequest) -> bool:
        return permissions.can_hide_topic(request.user)

    def has_move_permission(self, request: HttpRequest) -> bool:
        return permissions.can_move_topic(request.user)

    # --- Read-only fields --------------------------------------------------------

    @admin.display(description=gettext_lazy("on the site"))
    def on_site(self, topic: Topic) -> str:
        return format_html('<a href="{}">{}</a>', topic.get_absolute_url(), _("Open the topic"))

    @admin.display(description=gettext_lazy("posts"))
    def posts(self, topic: Topic) -> str:
        url = reverse("admin:posts_post_changelist") + f"?topic__id__exact={topic.pk}"
        return format_html('<a href="{}">{}</a>', url, _("The posts of this topic"))

    # --- Deleting (superusers) ------------------------------------------------------

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        # Only superusers get here; the posts go with their topic, whatever the
        # posts' own admin says about deleting a first post on its own.
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request: HttpRequest, obj: Topic) -> None:
        services.delete_topic(obj, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Topic]) -> None:
        for topic in queryset:
            services.delete_topic(topic, by=request.user)

    # --- Actions ----------------------------------------------------------------------

    def _switch(
        self, request: HttpRequest, queryset: QuerySet[Topic], service: Callable[..., bool]
    ) -> int:
        return sum(1 for topic in queryset if service(topic, moderator=request.user))

    @admin.action(description=gettext_lazy("Lock the selected topics"), permissions=["lock"])
    def lock_topics(self, request: HttpRequest, queryset: QuerySet[Topic]) -> None:
        n = self._switch(request, queryset, services.lock_topic)
        tell(self, request, ngettext("%(n)d topic locked.", "%(n)d topics locked.", n) % {"n": n})

    @admin.action(description=gettext_lazy("Unlock the selected topics"), permissions=["lock"])
    def unlock_topics(self, request: HttpRequest, queryset: QuerySet[Topic]) -> None:
        n = self._switch(request, queryset, services.unlock_topic)
        tell(
            self, request, ngettext("%(n)d topic unlocked.", "%(n)d topics unlocked.", n) % {"n": n}
        )

    @admin.action(description=gettext_lazy("Pin the selected topics"), permissions=["pin"])
    def pin_topics(self, request: HttpRequest, queryset: QuerySet[Topic]) -> None:
        n = self._switch(request, queryset, services.pin_topic)
        tell(self, request, ngettext("%(n)d topic pinned.", "%(n)d topics pinned.", n) % {"n": n})

    @admin.action(description=gettext_lazy("Unpin the selected topics"), permissions=["pin"])
    def unpin_topics(self, request: HttpRequest, queryset: QuerySet[Topic]) -> None:
        n = self._switch(request, queryset, services.unpin_topic)
        tell(
            self, request, ngettext("%(n)d topic unpinned.", "%(n)d topics unpinned.", n) % {"n": n}
        )

    @admin.action(description=gettext_lazy("Hide the selected topics…"), permissions=["hide"])
    def hide_topics(self, request: HttpRequest, queryset: QuerySet[Topic]) -> Any:
        form = bound(ReasonForm, request)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            done = sum(
                1 for t in queryset if services.hide_topic(t, moderator=request.user, reason=reason)
            )
            tell(
                self,
                request,
                ngettext("%(n)d topic hidden.", "%(n)d topics hidden.", done) % {"n": done},
            )
            return None
        return action_page(
            self, request, queryset, form=form, title=_("Hide topics"), submit=_("Hide topics"),
            intro=_("Members and guests will no longer find these topics; moderators still do."),
        )  # fmt: skip

    @admin.action(description=gettext_lazy("Unhide the selected topics"), permissions=["hide"])
    def unhide_topics(self, request: HttpRequest, queryset: QuerySet[Topic]) -> None:
        n = self._switch(request, queryset, services.unhide_topic)
        tell(
            self,
            request,
            ngettext("%(n)d topic visible again.", "%(n)d topics visible again.", n) % {"n": n},
        )

    @admin.action(description=gettext_lazy("Move the selected topics…"), permissions=["move"])
    def move_topics(
        self, request: HttpRequest, queryset: QuerySet[Topic]
    ) -> TemplateResponse | None:
        form = bound(MoveForm, request)
        if form.is_bound and form.is_valid():
            target, reason = form.cleaned_data["forum"], form.cleaned_data["reason"]
            done = sum(
                1
                for topic in queryset
                if services.move_topic(
                    topic, to_forum=target, moderator=request.user, reason=reason
                )
            )
            text = ngettext(
                "%(n)d topic moved to “%(forum)s”.", "%(n)d topics moved to “%(forum)s”.", done
            )
            tell(self, request, text % {"n": done, "forum": target})
            return None
        return action_page(
            self, request, queryset, form=form, title=_("Move topics"), submit=_("Move topics"),
            intro=_("The topics and all their posts move to the forum you choose."),
        )  # fmt: skip

    @admin.action(description=gettext_lazy("Merge the selected topics…"), permissions=["move"])
    def merge_topics(
        self, request: HttpRequest, queryset: QuerySet[Topic]
    ) -> TemplateResponse | None:
        if queryset.count() < 2:
            tell(self, request, _("Select at least two topics to merge."), warning=True)
            return None
        form = bound(MergeForm, request, topics=queryset)
        if form.is_bound and form.is_valid():
            target = form.cleaned_data["target"]
            sources = [t for t in queryset if t.pk != target.pk]
            moved = services.merge_topics(
                target, sources=sources, moderator=request.user, reason=form.cleaned_data["reason"]
            )
            text = ngettext(
                "%(n)d post merged into “%(topic)s”.", "%(n)d posts merged into “%(topic)s”.", moved
            )
            tell(self, request, text % {"n": moved, "topic": target})
            return None
        return action_page(
            self, request, queryset, form=form, title=_("Merge topics"), submit=_("Merge topics"),
            intro=_("The posts of the other topics move into the one you choose, in the order "
                    "they were written. The emptied topics are hidden, not deleted."),
        )  # fmt: skip
