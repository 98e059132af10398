from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render

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
        posts = posts.filter(hidden=False, topic__hidden=False)
    page = Paginator(posts, 10).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/profile.html",
        {"member": member, "recent_posts": page},
    )
