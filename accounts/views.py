from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.forms import ProfileSettingsForm
from accounts.services import update_profile
from forum import permissions
from forum.posts.models import Post


def profile(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """A member's profile: who they are and what they wrote that the viewer may see."""
    member = get_object_or_404(get_user_model(), pk=pk, is_active=True)
    if slug != member.slug:
        return HttpResponsePermanentRedirect(member.get_absolute_url())
    posts = (
        Post.objects.filter(
            author=member,
            topic__forum__in=permissions.visible_forums(request.user),
        )
        .select_related("topic")
        .order_by("-created_at", "-id")
    )
    if not permissions.can_see_hidden(request.user):
        posts = posts.filter(hidden=False, pending=False, topic__hidden=False, topic__pending=False)
    page = Paginator(posts, 10).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/profile.html",
        {"member": member, "recent_posts": page},
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
