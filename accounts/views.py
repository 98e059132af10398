from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.forms import AvatarForm, ProfileSettingsForm
from accounts.services import remove_avatar, set_avatar, update_profile
from forum import permissions
from forum.pagination import page_links
from forum.posts import quoting
from forum.posts.models import Post
from forum.reactions.bars import reputation_breakdown
from forum.threads.models import Topic

PROFILE_ITEMS_PER_PAGE = 10
MEMBERS_PER_PAGE = 30

# Member list orders: the first key of each has an index on accounts.User.
MEMBER_SORTS = {
    "name": ("username",),
    "joined": ("-date_joined", "-id"),
    "posts": ("-post_count", "username"),
    "reputation": ("-reputation", "username"),
}


def profile(request: HttpRequest, pk: int, slug: str, tab: str = "posts") -> HttpResponse:
    """A member's profile: who they are, and a tab of the posts or topics they wrote
    that the viewer may see."""
    member = get_object_or_404(get_user_model(), pk=pk, is_active=True)
    url_name = "accounts:profile_topics" if tab == "topics" else "accounts:profile"
    base_url = reverse(url_name, kwargs={"pk": member.pk, "slug": member.slug})
    if slug != member.slug:
        return HttpResponsePermanentRedirect(base_url)
    if tab == "topics":
        items = (
            permissions.visible_topics(request.user, Topic.objects.filter(author=member))
            .select_related("last_poster")
            .order_by("-created_at", "-id")
        )
    else:
        items = (
            permissions.visible_posts(request.user, Post.objects.filter(author=member))
            .select_related("topic")
            .order_by("-created_at", "-id")
        )
    page = Paginator(items, PROFILE_ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    entries = list(page.object_list)
    if tab == "topics":
        for topic in entries:
            topic.author = member  # the topic row shows the author: no query per row
    else:
        quoting.attribute_quotes(entries, request.user)  # one query, if any quotes

    def url_for(number: int) -> str:
        return base_url + (f"?page={number}" if number > 1 else "")

    return render(
        request,
        "accounts/profile.html",
        {
            "member": member,
            "tab": tab,
            "entries": entries,
            "pages": page_links(page.number, page.paginator.num_pages, url_for),
            "show_last_visit": permissions.can_see_last_visit(request.user, member),
            "reputation_breakdown": reputation_breakdown(member.pk),
        },
    )


def member_list(request: HttpRequest) -> HttpResponse:
    """Every active member, sorted by name, joining date, posts or reputation."""
    sort = request.GET.get("sort", "")
    if sort not in MEMBER_SORTS:
        sort = "name"
    members = get_user_model().objects.active().order_by(*MEMBER_SORTS[sort])
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    base_url = reverse("accounts:member_list")

    def url_for(number: int, sort: str = sort) -> str:
        params = {"sort": sort} if sort != "name" else {}
        if number > 1:
            params["page"] = str(number)
        return base_url + (f"?{urlencode(params)}" if params else "")

    return render(
        request,
        "accounts/member_list.html",
        {
            "members": list(page.object_list),
            "sort": sort,
            "sorts": [
                (key, label, url_for(1, key))
                for key, label in [
                    ("name", _("Name")),
                    ("joined", _("Joined")),
                    ("posts", _("Posts")),
                    ("reputation", _("Reputation")),
                ]
            ],
            "pages": page_links(page.number, page.paginator.num_pages, url_for),
            "first_number": page.start_index(),
        },
    )


@login_required
def settings_profile(request: HttpRequest) -> HttpResponse:
    """A member's profile settings: title, signature, privacy and following."""
    if request.method == "POST" and not permissions.can_edit_profile(request.user):
        raise PermissionDenied(permissions.posting_refusal(request.user))
    may_set_title = permissions.can_set_own_title(request.user)
    form = ProfileSettingsForm(
        request.POST or None, instance=request.user, may_set_title=may_set_title
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        update_profile(
            request.user,
            signature=data["signature"],
            browse_invisibly=data["browse_invisibly"],
            auto_follow=data["auto_follow"],
            title=data.get("title") if may_set_title else None,
        )
        messages.success(request, _("Your profile settings are saved."))
        return redirect("accounts:settings_profile")
    return render(
        request,
        "accounts/settings_profile.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def settings_avatar(request: HttpRequest) -> HttpResponse:
    """A member's avatar: see it, upload a new one, or go back to initials."""
    may_change = permissions.can_change_avatar(request.user)
    form = AvatarForm(request.POST, request.FILES) if request.method == "POST" else AvatarForm()
    if request.method == "POST":
        if "remove" in request.POST:
            remove_avatar(request.user)
            messages.success(request, _("Your avatar is removed: your initials show instead."))
            return redirect("accounts:settings_avatar")
        if not may_change:
            raise PermissionDenied
        if form.is_valid():
            set_avatar(request.user, image=form.image)
            messages.success(request, _("Your new avatar is saved."))
            return redirect("accounts:settings_avatar")
    return render(
        request,
        "accounts/settings_avatar.html",
        {"form": form, "may_change": may_change},
        status=400 if request.method == "POST" else 200,
    )
