from __future__ import annotations

from itertools import groupby

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from forum import pagecache, permissions
from forum.boards.models import Category, Forum
from forum.notifications import unread
from forum.pagination import KnownCountPaginator, page_links
from forum.presence.tracking import page_key
from forum.threads.counters import pending_views
from forum.threads.models import Topic


def _by_category(forums: list[Forum]) -> list[tuple[Category, list[Forum]]]:
    """``forums``, in index order, grouped under their categories."""
    return [
        (category, list(items))
        for category, items in groupby(forums, key=lambda forum: forum.category)
    ]


def board_index(request: HttpRequest) -> HttpResponse:
    """Categories and their forums, with counts and each forum's latest post."""
    cached_page = pagecache.Page(("index",), page_key("index"))
    pagecache.begin(request, cached_page)
    forums = list(permissions.visible_forums(request.user).for_index().in_index_order())
    categories = _by_category(forums)
    totals = {
        "topics": sum(f.topic_count for f in forums),
        "posts": sum(f.post_count for f in forums),
    }
    response = render(
        request,
        "forum/boards/board_index.html",
        {
            "categories": categories,
            "totals": totals,
            "can_follow": permissions.can_follow(request.user),
            "presence": pagecache.presence_slot(request, cached_page),
        },
    )
    return pagecache.keep(request, response)


def forum_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """A forum's topics: pinned first, then by last activity, paginated."""
    cached_page = pagecache.Page((f"forum:{pk}",), page_key("forum", pk))
    pagecache.begin(request, cached_page)
    forum = get_object_or_404(Forum.objects.select_related("category"), pk=pk)
    permissions.check_read_forum(request.user, forum)
    if slug != forum.slug:
        return HttpResponsePermanentRedirect(forum.get_absolute_url())

    topics = Topic.objects.filter(forum=forum).for_list()
    member = permissions.can_follow(request.user)
    if member:  # how far the member has read each topic: a subquery of the same query
        topics = unread.with_read_position(topics, request.user)
    if permissions.can_see_hidden(request.user):
        count = topics.count()
    else:
        topics = topics.shown()
        count = forum.topic_count
    paginator = KnownCountPaginator(topics, settings.AGORA_TOPICS_PER_PAGE, count)
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 1
    if number < 1 or number > paginator.num_pages:
        raise Http404
    page = paginator.page(number)
    topic_list = list(page.object_list)
    pending = pending_views(t.pk for t in topic_list)
    for topic in topic_list:
        topic.views += pending.get(topic.pk, 0)
    unread.mark_unread(topic_list, request.user)  # members: one query for their read markers

    def url_for(n: int) -> str:
        return forum.get_absolute_url() + (f"?page={n}" if n > 1 else "")

    response = render(
        request,
        "forum/boards/forum_detail.html",
        {
            "forum": forum,
            "topics": topic_list,
            "pages": page_links(number, paginator.num_pages, url_for),
            "can_start_topic": permissions.can_start_topic(request.user, forum),
            "start_topic_url": reverse(
                "threads:topic_create", kwargs={"pk": forum.pk, "slug": forum.slug}
            ),
            "feed_url": reverse("posts:forum_feed", kwargs={"pk": forum.pk, "slug": forum.slug})
            if permissions.is_public_forum(forum)
            else "",
            "can_follow": member,
            "following": member and unread.follows_forum(request.user, forum.pk),
            "presence": pagecache.presence_slot(request, cached_page),
        },
    )
    return pagecache.keep(request, response)


@login_required
def choose_forum(request: HttpRequest) -> HttpResponse:
    """ "Create New... > Topic": the forums the member may start a topic in."""
    forums = [
        forum
        for forum in permissions.visible_forums(request.user)
        .select_related("category")
        .in_index_order()
        if permissions.can_start_topic(request.user, forum)
    ]
    categories = _by_category(forums)
    selected = request.GET.get("forum", "")
    return render(
        request,
        "forum/boards/forum_choose.html",
        {"categories": categories, "selected": int(selected) if selected.isdigit() else None},
    )
