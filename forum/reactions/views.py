from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from forum import permissions
from forum.posts.models import Post
from forum.posts.views import post_url
from forum.reactions import services
from forum.reactions.bars import most_used_first, reaction_bars
from forum.reactions.catalog import types_by_id
from forum.reactions.forms import ReactForm
from forum.reactions.models import Reaction

REACTORS_PER_PAGE = 50


def _get_post(pk: int) -> Post:
    return get_object_or_404(Post.objects.select_related("topic__forum", "author"), pk=pk)


def _reputation(post: Post) -> int | None:
    if post.author_id is None:
        return None
    users = get_user_model().objects.filter(pk=post.author_id)
    return users.values_list("reputation", flat=True).first()


@require_POST
def post_react(request: HttpRequest, pk: int) -> HttpResponse:
    """Give, change or take back a reaction; back to the post, or the new bar for htmx."""
    post = _get_post(pk)
    permissions.check_see_post(request.user, post)
    if not request.user.is_authenticated:
        if request.htmx:  # signed out in another tab: the whole page goes to sign in
            return HttpResponseClientRedirect(redirect_to_login(post.get_absolute_url()).url)
        return redirect_to_login(post.get_absolute_url())
    permissions.check_react(request.user, post)
    form = ReactForm(request.POST, types=types_by_id())
    if form.is_valid():
        data = form.cleaned_data
        if data["removing"]:
            services.remove_reaction(post, user=request.user, reaction_type=data["reaction_type"])
        else:
            services.react_to_post(post, user=request.user, reaction_type=data["reaction_type"])
    if request.htmx:
        reaction_bars([post], request.user)
        context = {
            "post": post,
            "bar": post.reaction_bar,
            "changed": form.is_valid(),
            # The author's new reputation, for each of their posts on the page.
            "reputation": _reputation(post) if form.is_valid() else None,
        }
        return render(
            request,
            "forum/reactions/partials/reaction_bar_response.html",
            context,
            status=200 if form.is_valid() else 400,
        )
    if not form.is_valid():
        return HttpResponse(status=400)
    return HttpResponseRedirect(post_url(post))


@require_GET
def post_reactions(request: HttpRequest, pk: int) -> HttpResponse:
    """Who reacted to a post, newest first, filterable by type; a popover's content for htmx."""
    post = _get_post(pk)
    permissions.check_see_post(request.user, post)
    types = types_by_id()
    counts = {row["type_id"]: row["n"] for row in Reaction.objects.counts_for_posts([post.pk])}
    tabs = sorted(
        ((types[type_id], n) for type_id, n in counts.items() if type_id in types),
        key=lambda tab: most_used_first(*tab),
    )
    selected = request.GET.get("type", "")
    selected_type = types.get(int(selected)) if selected.isdigit() else None
    reactions = (
        Reaction.objects.filter(post=post)
        .select_related("user", "type")
        .order_by("-created_at", "-id")
    )
    if selected_type is not None:
        reactions = reactions.filter(type=selected_type)
    page = Paginator(reactions, REACTORS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "post": post,
        "topic": post.topic,
        "forum": post.topic.forum,
        "tabs": tabs,
        "total": sum(counts.values()),
        "selected_type": selected_type,
        "reactions": page,
    }
    if request.htmx:
        return render(request, "forum/reactions/partials/reactor_list.html", context)
    return render(request, "forum/reactions/reaction_list.html", context)
