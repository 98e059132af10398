"""The report queue and the moderation log in the admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from forum import permissions
from forum.moderation import services
from forum.moderation.admin_actions import action_page, apply_each, bound, tell
from forum.moderation.forms import HideAndResolveForm, ReportHandleForm, ResolutionForm
from forum.moderation.models import ModerationAction, Report
from forum.posts.models import Post
from forum.threads.models import Topic


class ReportStatusFilter(admin.SimpleListFilter):
    """Open reports unless asked otherwise: the queue is what moderators come for."""

    title = gettext_lazy("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [*Report.Status.choices, ("all", _("All"))]

    def value(self) -> str:
        return super().value() or Report.Status.OPEN

    def choices(self, changelist: Any) -> Any:
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet[Report]) -> QuerySet[Report]:
        if self.value() == "all":
            return queryset
        return queryset.filter(status=self.value())


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    form = ReportHandleForm
    list_display = ("created_at", "reason", "post_link", "post_author", "reporter", "status",
                    "resolved_by")  # fmt: skip
    list_display_links = ("created_at", "reason")
    list_filter = (ReportStatusFilter, "reason", "created_at")
    list_select_related = ("post__topic", "post__author", "reporter", "resolved_by")
    search_fields = ("message", "post__body", "reporter__username", "post__author__username")
    search_help_text = gettext_lazy(
        "Search the report, the reported text, or the name of the reporter or the author."
    )
    ordering = ("created_at", "id")
    readonly_fields = ("in_context", "post_excerpt", "post_author", "reporter", "reason",
                       "message", "created_at", "status", "resolved_by", "resolved_at",
                       "resolution_note")  # fmt: skip
    actions = ["resolve_reports", "hide_and_resolve_reports", "dismiss_reports"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        report_fields = ("in_context", "post_excerpt", "post_author", "reporter", "reason",
                         "message", "created_at", "status")  # fmt: skip
        if obj is not None and obj.is_open and self.has_change_permission(request, obj):
            decision = ("outcome", "hide_reason", "note")
        else:
            decision = ("resolved_by", "resolved_at", "resolution_note")
        return [(None, {"fields": report_fields}), (_("Decision"), {"fields": decision})]

    def lookup_allowed(self, lookup: str, value: str, request: Any = None) -> bool:
        # "Reports received" from a member's page.
        if lookup == "post__author__id__exact":
            return True
        return super().lookup_allowed(lookup, value, request)

    # --- What moderators may do here ----------------------------------------------

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # members report from the topic page

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_handle_reports(request.user) and (obj is None or obj.is_open)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_delete_permanently(request.user)

    def has_handle_permission(self, request: HttpRequest) -> bool:
        return permissions.can_handle_reports(request.user)

    def has_hide_permission(self, request: HttpRequest) -> bool:
        return permissions.can_handle_reports(request.user) and permissions.can_hide_post(
            request.user
        )

    # --- Columns and read-only fields -------------------------------------------------

    @admin.display(description=gettext_lazy("post"))
    def post_link(self, report: Report) -> str:
        return format_html(
            '<a href="{}">#{} in “{}”</a>',
            report.post.get_absolute_url(),
            report.post.position,
            Truncator(report.post.topic.title).chars(60),
        )

    @admin.display(description=gettext_lazy("written by"))
    def post_author(self, report: Report) -> str:
        author = report.post.author
        if author is None:
            return _("a former member")
        url = reverse("admin:accounts_user_change", args=[author.pk])
        return format_html('<a href="{}">{}</a>', url, author.username)

    @admin.display(description=gettext_lazy("the post"))
    def in_context(self, report: Report) -> str:
        post = report.post
        state = ""
        if post.hidden:
            state = _(" (hidden: %(reason)s)") % {"reason": post.hidden_reason or "—"}
        return format_html(
            '<a href="{}">{}</a>{}',
            post.get_absolute_url(),
            _("Open post #%(n)s in “%(topic)s”") % {"n": post.position, "topic": post.topic.title},
            state,
        )

    @admin.display(description=gettext_lazy("text"))
    def post_excerpt(self, report: Report) -> SafeString:
        # body_html was sanitized by forum.posts.markup when the post was saved.
        return mark_safe(f'<div class="agora-excerpt">{report.post.body_html}</div>')  # noqa: S308

    # --- Handling one report from its page ---------------------------------------------

    def save_model(self, request: HttpRequest, obj: Report, form: Any, change: bool) -> None:
        data = form.cleaned_data
        try:
            if data["outcome"] == ReportHandleForm.DISMISS:
                services.dismiss_report(obj, moderator=request.user, note=data["note"])
            else:
                services.resolve_report(
                    obj,
                    moderator=request.user,
                    note=data["note"],
                    hide=data["outcome"] == ReportHandleForm.HIDE,
                    hide_reason=data["hide_reason"],
                )
        except services.ModerationError as error:
            tell(self, request, str(error), warning=True)

    # --- Actions on many reports ---------------------------------------------------------

    def _close(
        self, request: HttpRequest, queryset: QuerySet[Report], *, dismiss: bool, hide: bool,
        note: str, reason: str = "",
    ) -> int:  # fmt: skip
        def close(report: Report) -> int:
            report.refresh_from_db(fields=["status"])
            if not report.is_open:
                return 0  # closed with an earlier report on the same post
            if dismiss:
                return services.dismiss_report(report, moderator=request.user, note=note)
            return services.resolve_report(
                report, moderator=request.user, note=note, hide=hide, hide_reason=reason
            )

        return apply_each(self, request, queryset.select_related("post__topic"), close)

    @admin.action(description=gettext_lazy("Resolve the selected reports…"),
                  permissions=["handle"])  # fmt: skip
    def resolve_reports(
        self, request: HttpRequest, queryset: QuerySet[Report]
    ) -> TemplateResponse | None:
        form = bound(ResolutionForm, request)
        if form.is_bound and form.is_valid():
            n = self._close(request, queryset, dismiss=False, hide=False,
                            note=form.cleaned_data["note"])  # fmt: skip
            tell(self, request, ngettext("%(n)d report resolved.", "%(n)d reports resolved.", n)
                 % {"n": n})  # fmt: skip
            return None
        return action_page(
            self, request, queryset, form=form, title=_("Resolve reports"), submit=_("Resolve"),
            intro=_("The reports close as handled. Each reporter sees the outcome and your note."),
        )  # fmt: skip

    @admin.action(description=gettext_lazy("Hide the reported posts and resolve…"),
                  permissions=["hide"])  # fmt: skip
    def hide_and_resolve_reports(
        self, request: HttpRequest, queryset: QuerySet[Report]
    ) -> TemplateResponse | None:
        form = bound(HideAndResolveForm, request)
        if form.is_bound and form.is_valid():
            n = self._close(request, queryset, dismiss=False, hide=True,
                            note=form.cleaned_data["note"],
                            reason=form.cleaned_data["reason"])  # fmt: skip
            tell(self, request, ngettext("%(n)d report resolved.", "%(n)d reports resolved.", n)
                 % {"n": n})  # fmt: skip
            return None
        return action_page(
            self, request, queryset, form=form, title=_("Hide the reported posts"),
            submit=_("Hide and resolve"),
            intro=_("The reported posts are hidden (a first post hides its topic) and the "
                    "reports close as handled. Each reporter sees the outcome and your note."),
        )  # fmt: skip

    @admin.action(description=gettext_lazy("Dismiss the selected reports…"),
                  permissions=["handle"])  # fmt: skip
    def dismiss_reports(
        self, request: HttpRequest, queryset: QuerySet[Report]
    ) -> TemplateResponse | None:
        form = bound(ResolutionForm, request)
        if form.is_bound and form.is_valid():
            n = self._close(request, queryset, dismiss=True, hide=False,
                            note=form.cleaned_data["note"])  # fmt: skip
            tell(self, request, ngettext("%(n)d report dismissed.", "%(n)d reports dismissed.", n)
                 % {"n": n})  # fmt: skip
            return None
        return action_page(
            self, request, queryset, form=form, title=_("Dismiss reports"), submit=_("Dismiss"),
            intro=_("The reports close without action. "
                    "Each reporter sees the outcome and your note."),
        )  # fmt: skip


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """The moderation log: read-only, for everyone who may see it."""

    list_display = ("created_at", "actor", "action", "target", "reason", "details")
    list_filter = ("action", ("actor", admin.RelatedOnlyFieldListFilter), "content_type",
                   "created_at")  # fmt: skip
    list_select_related = ("actor", "content_type")
    search_fields = ("object_repr", "reason", "details", "actor__username")
    search_help_text = gettext_lazy("Search the object, the reason, or the moderator's name.")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    fields = ("created_at", "actor", "action", "target", "reason", "details")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[ModerationAction]:
        # Whether a post or topic still exists (a permanent delete keeps its log
        # lines), in the list's own query rather than one query per line.
        return (
            super()
            .get_queryset(request)
            .annotate(
                post_exists=Exists(Post.objects.filter(pk=OuterRef("object_id"))),
                topic_exists=Exists(Topic.objects.filter(pk=OuterRef("object_id"))),
            )
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("object"), ordering="object_repr")
    def target(self, entry: ModerationAction) -> str:
        model = entry.content_type.model_class()
        url = None
        if model is Post and entry.post_exists:
            url = reverse("posts:post_permalink", args=[entry.object_id])
        elif model is Topic and entry.topic_exists:
            url = reverse("admin:threads_topic_change", args=[entry.object_id])
        elif model is get_user_model():
            url = reverse("admin:accounts_user_change", args=[entry.object_id])
        elif model is Report:
            url = reverse("admin:moderation_report_change", args=[entry.object_id])
        if url is None:
            return entry.object_repr
        return format_html('<a href="{}">{}</a>', url, entry.object_repr)
