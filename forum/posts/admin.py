"""Posts in the moderation console: search, hide, approve, and edit with a revision kept.

An edit here is a moderator's edit (``edit_post_as_moderator``): the old text
becomes a revision, the post re-renders, and the moderation log says who and
why. Hiding, approving and rejecting call the services the topic page uses.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db.models import QuerySet
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
from forum.moderation.forms import ReasonForm
from forum.posts import services as post_services
from forum.posts.models import Post, PostRevision, RecommendedPost


class PostAdminForm(forms.ModelForm):
    """A moderator's edit of a post's text, and why."""

    edit_reason = forms.CharField(
        label=gettext_lazy("Reason for the edit"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("Kept in the moderation log with the edit."),
    )

    class Meta:
        model = Post
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14, "cols": 90})}

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError(_("A post cannot be empty; hide it instead."))
        if len(body) > settings.AGORA_POST_MAX_LENGTH:
            raise forms.ValidationError(
                _("The post is too long: %(limit)d characters at most.")
                % {"limit": settings.AGORA_POST_MAX_LENGTH}
            )
        return body.rstrip()


class RevisionInline(admin.TabularInline):
    """The text before each edit, newest first (read-only)."""

    model = PostRevision
    fields = ("created_at", "editor", "text")
    readonly_fields = fields
    ordering = ("-created_at", "-id")
    extra = 0
    can_delete = False
    verbose_name_plural = gettext_lazy("Earlier versions (the text before each edit)")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_moderator(request.user)

    @admin.display(description=gettext_lazy("text"))
    def text(self, revision: PostRevision) -> str:
        return format_html('<pre class="agora-revision">{}</pre>', revision.body)


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    form = PostAdminForm
    list_display = ("excerpt", "topic_link", "author", "created_at", "pending", "hidden",
                    "edit_count")  # fmt: skip
    list_filter = ("pending", "hidden", "topic__forum", "created_at")
    list_select_related = ("topic", "author")
    search_fields = ("body", "author__username")
    search_help_text = gettext_lazy("Search the text of posts, or the name of their author.")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    fieldsets = (
        (None, {"fields": ("in_context", "topic_link", "author", "position", "created_at",
                           "status", "edited")}),
        (gettext_lazy("Text"), {"fields": ("rendered", "body", "edit_reason")}),
    )  # fmt: skip
    readonly_fields = ("in_context", "topic_link", "author", "position", "created_at", "status",
                       "edited", "rendered")  # fmt: skip
    inlines = [RevisionInline]
    actions = ["hide_posts", "unhide_posts", "approve_posts", "reject_posts"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Post]:
        return super().get_queryset(request).select_related("topic", "author", "hidden_by")

    # --- What moderators may do here ------------------------------------------------

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # posts are written on the site

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_edit_any_post(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.position == 1:
            return False  # the first post goes with its topic
        return permissions.can_delete_permanently(request.user)

    def has_hide_permission(self, request: HttpRequest) -> bool:
        return permissions.can_hide_post(request.user)

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return permissions.can_approve_posts(request.user)

    # --- Columns and read-only fields ---------------------------------------------------

    @admin.display(description=gettext_lazy("post"))
    def excerpt(self, post: Post) -> str:
        return Truncator(post.body).chars(80)

    @admin.display(description=gettext_lazy("topic"), ordering="topic__title")
    def topic_link(self, post: Post) -> str:
        url = reverse("admin:threads_topic_change", args=[post.topic_id])
        return format_html('<a href="{}">{}</a>', url, post.topic.title)

    @admin.display(description=gettext_lazy("in context"))
    def in_context(self, post: Post) -> str:
        return format_html(
            '<a href="{}">{}</a>', post.get_absolute_url(), _("Open the post in its topic")
        )

    @admin.display(description=gettext_lazy("status"))
    def status(self, post: Post) -> str:
        if post.pending:
            return _("Awaiting approval")
        if post.hidden:
            name = post.hidden_by.username if post.hidden_by else _("a former member")
            return _("Hidden by %(name)s: %(reason)s") % {
                "name": name,
                "reason": post.hidden_reason or "—",
            }
        return _("Visible")

    @admin.display(description=gettext_lazy("edited"))
    def edited(self, post: Post) -> str:
        if not post.edited_at:
            return _("Never")
        name = post.edited_by.username if post.edited_by else _("a former member")
        return ngettext(
            "%(n)d time, last by %(name)s", "%(n)d times, last by %(name)s", post.edit_count
        ) % {"n": post.edit_count, "name": name}

    @admin.display(description=gettext_lazy("as shown"))
    def rendered(self, post: Post) -> SafeString:
        # body_html was sanitized by forum.posts.markup when the post was saved.
        return mark_safe(f'<div class="agora-excerpt">{post.body_html}</div>')  # noqa: S308

    # --- Saving and deleting through the services ------------------------------------------

    def save_model(self, request: HttpRequest, obj: Post, form: Any, change: bool) -> None:
        original = Post.objects.select_related("topic").get(pk=obj.pk)
        services.edit_post_as_moderator(
            original,
            editor=request.user,
            body=form.cleaned_data["body"],
            reason=form.cleaned_data["edit_reason"],
        )

    def delete_model(self, request: HttpRequest, obj: Post) -> None:
        services.delete_post(obj, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        apply_each(
            self, request, queryset, lambda post: services.delete_post(post, by=request.user)
        )

    # --- Actions ---------------------------------------------------------------------

    @admin.action(description=gettext_lazy("Hide the selected posts…"), permissions=["hide"])
    def hide_posts(self, request: HttpRequest, queryset: QuerySet[Post]) -> TemplateResponse | None:
        form = bound(ReasonForm, request)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            done = apply_each(
                self,
                request,
                queryset,
                lambda post: services.hide_post(post, moderator=request.user, reason=reason),
            )
            tell(self, request, ngettext("%(n)d post hidden.", "%(n)d posts hidden.", done)
                 % {"n": done})  # fmt: skip
            return None
        return action_page(
            self, request, queryset, form=form, title=_("Hide posts"), submit=_("Hide posts"),
            intro=_("Members and guests will no longer see these posts; moderators still do."),
        )  # fmt: skip

    @admin.action(description=gettext_lazy("Unhide the selected posts"), permissions=["hide"])
    def unhide_posts(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        done = apply_each(
            self, request, queryset, lambda post: services.unhide_post(post, moderator=request.user)
        )
        tell(self, request, ngettext("%(n)d post visible again.", "%(n)d posts visible again.",
                                     done) % {"n": done})  # fmt: skip

    @admin.action(description=gettext_lazy("Approve the selected posts"), permissions=["approve"])
    def approve_posts(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        done = sum(1 for post in queryset if services.approve_post(post, moderator=request.user))
        tell(self, request, ngettext("%(n)d post approved.", "%(n)d posts approved.", done)
             % {"n": done})  # fmt: skip

    @admin.action(description=gettext_lazy("Reject the selected posts…"), permissions=["approve"])
    def reject_posts(
        self, request: HttpRequest, queryset: QuerySet[Post]
    ) -> TemplateResponse | None:
        form = bound(ReasonForm, request)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            done = sum(
                1
                for p in queryset
                if services.reject_post(p, moderator=request.user, reason=reason)
            )
            tell(self, request, ngettext("%(n)d post rejected.", "%(n)d posts rejected.", done)
                 % {"n": done})  # fmt: skip
            return None
        return action_page(
            self, request, queryset, form=form, title=_("Reject posts"), submit=_("Reject posts"),
            intro=_("Rejected posts stay hidden, for the record; moderators still see them."),
        )  # fmt: skip


@admin.register(PostRevision)
class PostRevisionAdmin(admin.ModelAdmin):
    """Every edit's earlier text, searchable (read-only)."""

    list_display = ("post", "editor", "created_at", "excerpt")
    list_select_related = ("post", "editor")
    search_fields = ("body", "editor__username")
    list_filter = ("created_at",)
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("text before the edit"))
    def excerpt(self, revision: PostRevision) -> str:
        return Truncator(revision.body).chars(80)


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
        post_services.recommend_post(obj.post, by=request.user, note=obj.note)

    def delete_model(self, request: HttpRequest, obj: RecommendedPost) -> None:
        post_services.unrecommend_post(obj.post)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RecommendedPost]) -> None:
        # Through the service, as one delete is: the topics' kept pages must change.
        for recommendation in queryset.select_related("post"):
            post_services.unrecommend_post(recommendation.post)
