from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models.functions import Lower
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from forum import permissions
from forum.boards.models import Forum
from forum.notifications import emails, services, unread
from forum.notifications.forms import NotificationSettingsForm
from forum.notifications.models import Kind, Notification, NotificationSettings
from forum.pagination import PageLinks, page_links
from forum.threads.counters import pending_views
from forum.threads.models import Topic

MENTION_SUGGESTIONS = 8


def _back(request: HttpRequest, fallback: str) -> str:
    """Where a form posted from a page goes back to: its ``next``, when it is ours."""
    target = request.POST.get("next", "")
    ours = target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if ours else fallback


def _page_links(page: Page, route: str) -> PageLinks:
    """Links to the pages of the list at ``route`` (``?page=n``, none for the first)."""
    base = reverse(route)

    def url_for(number: int) -> str:
        return base + (f"?page={number}" if number > 1 else "")

    return page_links(page.number, page.paginator.num_pages, url_for)


# --- The bell -------------------------------------------------------------------------------


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """A member's notifications, newest first, with links to the posts."""
    user = request.user
    services.recount_unread(user)  # the bell counter, put right whenever it drifted
    items = Notification.objects.for_list(user)
    page = Paginator(items, settings.AGORA_NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    entries = list(page.object_list)
    for entry in entries:
        entry.link = emails.notification_link(entry, user)
    return render(
        request,
        "forum/notifications/notification_list.html",
        {
            "entries": entries,
            "pages": _page_links(page, "notifications:notification_list"),
            "unread_count": user.unread_notifications,
        },
    )


@login_required
@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a notification: it is read now, and the member lands on its post."""
    notification = get_object_or_404(
        Notification.objects.select_related("post__topic__forum", "topic__forum"),
        pk=pk,
        recipient=request.user,
    )
    services.mark_notification_read(notification)
    link = emails.notification_link(notification, request.user)
    return HttpResponseRedirect(link or reverse("notifications:notification_list"))


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.mark_notification_read(notification)
    return HttpResponseRedirect(_back(request, reverse("notifications:notification_list")))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.mark_all_notifications_read(request.user)
    messages.success(request, _("All your notifications are marked read."))
    return HttpResponseRedirect(_back(request, reverse("notifications:notification_list")))


# --- Preferences and unsubscribing -----------------------------------------------------------


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    """Per kind: in the app, by e-mail, both or not at all; and the digest."""
    prefs = NotificationSettings.objects.filter(user=request.user).first()
    form = NotificationSettingsForm(
        request.POST or None,
        channels=prefs.channels if prefs else {},
        initial={"email_digest": prefs.email_digest if prefs else False},
    )
    if request.method == "POST" and form.is_valid():
        services.update_notification_settings(
            request.user, channels=form.channels(), email_digest=form.cleaned_data["email_digest"]
        )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:notification_settings")
    return render(
        request,
        "accounts/settings_notifications.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@csrf_exempt  # the signed token is the authority; mail clients post here (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Stop one kind of notification e-mail, from a link in one, without signing in.

    GET asks to confirm (link checkers must not unsubscribe anybody); POST,
    from that page or a mail client's one-click button, does it.
    """
    found = emails.read_unsubscribe_token(token)
    member = None
    if found is not None:
        member = get_user_model().objects.filter(pk=found[0], is_active=True).first()
    if member is None:
        return render(request, "forum/notifications/unsubscribe.html", {"valid": False}, status=400)
    kind = Kind(found[1])
    done = False
    if request.method == "POST":
        services.unsubscribe(member.pk, kind.value)
        done = True
    return render(
        request,
        "forum/notifications/unsubscribe.html",
        {"valid": True, "kind": kind, "done": done, "member": member},
    )


# --- Following and unread ----------------------------------------------------------------------


def _member_or_login(request: HttpRequest, next_url: str) -> HttpResponse | None:
    """Guests go to sign in (and come back); members who may not follow are refused."""
    if not request.user.is_authenticated:
        return redirect_to_login(next_url)
    if not permissions.can_follow(request.user):
        raise PermissionDenied
    return None


@require_POST
def topic_follow(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """Follow or unfollow a topic (``follow=1`` or ``0``); back to the topic."""
    topic = get_object_or_404(Topic.objects.select_related("forum"), pk=pk)
    permissions.check_see_topic(request.user, topic)
    refused = _member_or_login(request, topic.get_absolute_url())
    if refused:
        return refused
    following = request.POST.get("follow") == "1"
    services.follow_topic(request.user, topic, following=following)
    if following:
        messages.success(request, _("You follow this topic: replies to it will notify you."))
    else:
        messages.success(request, _("You no longer follow this topic."))
    return HttpResponseRedirect(_back(request, topic.get_absolute_url()))


@require_POST
def forum_follow(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """Follow or unfollow a forum (``follow=1`` or ``0``); back to the forum."""
    forum = get_object_or_404(Forum, pk=pk)
    permissions.check_read_forum(request.user, forum)
    refused = _member_or_login(request, forum.get_absolute_url())
    if refused:
        return refused
    following = request.POST.get("follow") == "1"
    services.follow_forum(request.user, forum, following=following)
    if following:
        messages.success(request, _("You follow this forum: new topics in it will notify you."))
    else:
        messages.success(request, _("You no longer follow this forum."))
    return HttpResponseRedirect(forum.get_absolute_url())


@require_POST
def forum_mark_read(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    forum = get_object_or_404(Forum, pk=pk)
    permissions.check_read_forum(request.user, forum)
    refused = _member_or_login(request, forum.get_absolute_url())
    if refused:
        return refused
    services.mark_forum_read(request.user, forum)
    messages.success(request, _("Every topic in this forum is marked read."))
    return HttpResponseRedirect(forum.get_absolute_url())


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    refused = _member_or_login(request, reverse("notifications:unread_list"))
    if refused:
        return refused
    services.mark_all_read(request.user)
    messages.success(request, _("Every topic is marked read."))
    return HttpResponseRedirect(_back(request, reverse("notifications:unread_list")))


@require_GET
def topic_unread(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """Go to the first post of the topic the member has not read (the last one if none)."""
    topic = get_object_or_404(Topic.objects.select_related("forum"), pk=pk)
    permissions.check_see_topic(request.user, topic)
    if not permissions.can_follow(request.user):
        return HttpResponseRedirect(topic.get_absolute_url())
    reader = unread.topic_reader(request.user, topic)
    post = unread.first_unread_post(request.user, topic, reader)
    if post is None:  # all read: the latest post
        if topic.last_post_id:
            return HttpResponseRedirect(
                reverse("posts:post_permalink", kwargs={"pk": topic.last_post_id})
            )
        return HttpResponseRedirect(topic.get_absolute_url())
    page = topic.page_of_position(post.position)
    return HttpResponseRedirect(f"{topic.get_page_url(page)}#post-{post.pk}")


@login_required
def unread_list(request: HttpRequest) -> HttpResponse:
    """Unread content: the topics with posts the member has not read, latest first."""
    topics = unread.unread_topics(request.user)
    page = Paginator(topics, settings.AGORA_TOPICS_PER_PAGE).get_page(request.GET.get("page"))
    entries = list(page.object_list)
    pending = pending_views(topic.pk for topic in entries)  # buffered views: the cache
    for topic in entries:
        topic.is_unread = True
        topic.views += pending.get(topic.pk, 0)
    return render(
        request,
        "forum/notifications/unread_list.html",
        {
            "topics": entries,
            "pages": _page_links(page, "notifications:unread_list"),
        },
    )


# --- @mention suggestions for the editor ----------------------------------------------------------


@require_GET
def mention_suggestions(request: HttpRequest) -> JsonResponse:
    """Members whose name starts with ``q``, for the editor's @mention list (members only)."""
    if not permissions.is_member(request.user):
        return JsonResponse({"members": []}, status=403)
    prefix = request.GET.get("q", "").strip().lstrip("@")[:150]
    if not prefix:
        return JsonResponse({"members": []})
    found = (
        get_user_model()
        .objects.active()
        .annotate(name_lower=Lower("username"))
        .filter(name_lower__startswith=prefix.lower())
        .order_by("name_lower")[:MENTION_SUGGESTIONS]
    )
    return JsonResponse({"members": [{"username": member.username} for member in found]})
