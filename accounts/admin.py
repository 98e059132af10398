"""Members in the moderation console: find them, ban and unban them, see what they did.

Moderators only look (and ban, through the action, which keeps the log);
superusers also edit accounts. The ban fields are never edited directly, so
every ban has its line in the moderation log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import User
from forum import permissions
from forum.humanize import exact_time
from forum.moderation import services
from forum.moderation.admin_actions import action_page, bound, tell
from forum.moderation.forms import BanForm, OptionalReasonForm
from forum.moderation.models import Report


class MemberCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "email")


class MemberChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


class BanFilter(admin.SimpleListFilter):
    title = gettext_lazy("ban")
    parameter_name = "ban"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("banned", _("Banned now")),
            ("permanent", _("Banned permanently")),
            ("expired", _("Ban expired")),
            ("never", _("Never banned")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> QuerySet[User]:
        now = timezone.now()
        active = Q(banned_at__isnull=False) & (
            Q(banned_until__isnull=True) | Q(banned_until__gt=now)
        )
        if self.value() == "banned":
            return queryset.filter(active)
        if self.value() == "permanent":
            return queryset.filter(banned_at__isnull=False, banned_until__isnull=True)
        if self.value() == "expired":
            return queryset.filter(banned_at__isnull=False, banned_until__lte=now)
        if self.value() == "never":
            return queryset.filter(banned_at__isnull=True)
        return queryset


@admin.register(User)
class MemberAdmin(DjangoUserAdmin):
    form = MemberChangeForm
    add_form = MemberCreationForm
    list_display = ("username", "email", "date_joined", "last_seen", "post_count", "ban_state",
                    "is_staff")  # fmt: skip
    list_filter = (BanFilter, "is_staff", "is_superuser", "is_active", "groups", "date_joined")
    search_fields = ("username", "email")
    search_help_text = gettext_lazy("Search by name or e-mail address.")
    ordering = ("-date_joined",)
    date_hierarchy = "date_joined"
    readonly_fields = ("activity", "ban_state", "banned_at", "banned_until", "ban_reason",
                       "post_count", "reputation", "date_joined", "last_login",
                       "last_seen")  # fmt: skip
    fieldsets = (
        (None, {"fields": ("username", "password", "email")}),
        (gettext_lazy("Profile"), {"fields": ("title", "signature", "browse_invisibly",
                                              "auto_follow")}),
        (gettext_lazy("Activity"), {"fields": ("activity", "post_count", "reputation",
                                               "date_joined", "last_login", "last_seen")}),
        (gettext_lazy("Ban"), {"fields": ("ban_state", "banned_at", "banned_until",
                                          "ban_reason")}),
        (gettext_lazy("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser",
                                                  "groups", "user_permissions")}),
    )  # fmt: skip
    add_fieldsets = (
        (None, {"classes": ("wide",),
                "fields": ("username", "email", "usable_password", "password1", "password2")}),
    )  # fmt: skip
    actions = ["ban_members", "unban_members"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or request.user.is_superuser:
            return fieldsets
        # Moderators look, they do not administer: no password hash, no permissions.
        return [
            (name, {**opts, "fields": [f for f in opts["fields"]
                                       if f not in {"password", "user_permissions"}]})
            for name, opts in fieldsets
        ]  # fmt: skip

    def has_ban_permission(self, request: HttpRequest) -> bool:
        return permissions.can_ban(request.user)

    # --- Columns and read-only fields ---------------------------------------------------

    @admin.display(description=gettext_lazy("ban"))
    def ban_state(self, member: User) -> str:
        if member.banned_at is None:
            return "—"
        if not member.is_banned:
            return _("Ban expired")
        if member.banned_until is None:
            return _("Banned permanently")
        return _("Banned until %(until)s") % {"until": exact_time(member.banned_until)}

    @admin.display(description=gettext_lazy("activity"))
    def activity(self, member: User) -> str:
        posts = member.posts.count()
        filed = member.reports_filed.count()
        received = Report.objects.filter(post__author=member).count()
        member_type = ContentType.objects.get_for_model(User)
        links = [
            (reverse("admin:posts_post_changelist") + f"?author__id__exact={member.pk}",
             ngettext("%(n)d post", "%(n)d posts", posts) % {"n": posts}),
            (reverse("admin:moderation_report_changelist")
             + f"?status=all&reporter__id__exact={member.pk}",
             ngettext("%(n)d report filed", "%(n)d reports filed", filed) % {"n": filed}),
            (reverse("admin:moderation_report_changelist")
             + f"?status=all&post__author__id__exact={member.pk}",
             ngettext("%(n)d report received", "%(n)d reports received", received)
             % {"n": received}),
            (reverse("admin:moderation_moderationaction_changelist")
             + f"?content_type__id__exact={member_type.pk}&object_id={member.pk}",
             _("Moderation of this member")),
            (member.get_absolute_url(), _("Profile on the site")),
        ]  # fmt: skip
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    # --- Actions ---------------------------------------------------------------------

    @admin.action(description=gettext_lazy("Ban the selected members…"), permissions=["ban"])
    def ban_members(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> TemplateResponse | None:
        form = bound(BanForm, request)
        if form.is_bound and form.is_valid():
            done = 0
            for member in queryset:
                if not permissions.can_ban(request.user, member):
                    tell(self, request, _("%(name)s was not banned: you may not ban this member.")
                         % {"name": member.username}, warning=True)  # fmt: skip
                    continue
                services.ban_member(
                    member,
                    moderator=request.user,
                    reason=form.cleaned_data["reason"],
                    until=form.until_datetime,
                )
                done += 1
            tell(self, request, ngettext("%(n)d member banned.", "%(n)d members banned.", done)
                 % {"n": done})  # fmt: skip
            return None
        return action_page(
            self, request, queryset, form=form, title=_("Ban members"), submit=_("Ban"),
            intro=_("Banned members can still read, but cannot post, react, report or send "
                    "anything. They see the reason and when the ban ends."),
        )  # fmt: skip

    @admin.action(description=gettext_lazy("Lift the ban of the selected members…"),
                  permissions=["ban"])  # fmt: skip
    def unban_members(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> TemplateResponse | None:
        form = bound(OptionalReasonForm, request)
        if form.is_bound and form.is_valid():
            done = 0
            for member in queryset:
                if permissions.can_ban(request.user, member):
                    done += services.unban_member(
                        member, moderator=request.user, reason=form.cleaned_data["reason"]
                    )
            tell(self, request, ngettext("%(n)d ban lifted.", "%(n)d bans lifted.", done)
                 % {"n": done})  # fmt: skip
            return None
        return action_page(
            self, request, queryset, form=form, title=_("Lift bans"), submit=_("Lift the ban"),
        )  # fmt: skip
