"""The moderator tools of the topic page, the report form and a member's reports.

Every change is a CSRF-protected POST that calls one service (which writes
the moderation log) and redirects back to the topic or the post. A guest is
sent to sign in; a member without the permission gets 403; a topic or post
the user may not see stays a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from forum import permissions
from forum.moderation import services
from forum.moderation.forms import MoveForm, ReasonForm, ReportForm
from forum.moderation.models import Report
from forum.posts.models import Post
from forum.posts.views import post_url
from forum.threads.models import Topic


def _get_topic(request: HttpRequest, pk: int) -> Topic:
    topic = get_object_or_404(Topic.objects.select_related("forum__category"), pk=pk)
    permissions.check_see_topic(request.user, topic)
    return topic


def _get_post(request: HttpRequest, pk: int) -> Post:
    post = get_object_or_404(Post.objects.select_related("topic__forum__category", "author"), pk=pk)
    permissions.check_see_post(request.user, post)
    return post


def _refuse(request: HttpRequest, allowed: bool, next_url: str) -> HttpResponse | None:
    """Sign-in redirect for guests, 403 for members without the right; None when allowed."""
    if not request.user.is_authenticated:
        return redirect_to_login(next_url)
    if not allowed:
        raise PermissionDenied
    return None


def _form_page(
    request: HttpRequest,
    *,
    form: Any,
    title: str,
    submit: str,
    topic: Topic,
    post: Post | None = None,
    intro: str = "",
) -> HttpResponse:
    return render(
        request,
        "forum/moderation/action_form.html",
        {"form": form, "title": title, "submit": submit, "topic": topic,
         "forum": topic.forum, "post": post, "intro": intro},
        status=400 if request.method == "POST" else 200,
    )  # fmt: skip


# --- Topics ---------------------------------------------------------------------


class TopicSwitch(NamedTuple):
    allowed: Callable[[Any], bool]
    service: Callable[..., bool]
    done: Any  # lazy translations
    unchanged: Any


TOPIC_SWITCHES: dict[str, TopicSwitch] = {
    "lock": TopicSwitch(
        permissions.can_lock_topic,
        services.lock_topic,
        gettext_lazy("The topic is locked."),
        gettext_lazy("The topic was already locked."),
    ),
    "unlock": TopicSwitch(
        permissions.can_lock_topic,
        services.unlock_topic,
        gettext_lazy("The topic is open to replies again."),
        gettext_lazy("The topic was not locked."),
    ),
    "pin": TopicSwitch(
        permissions.can_pin_topic,
        services.pin_topic,
        gettext_lazy("The topic is pinned."),
        gettext_lazy("The topic was already pinned."),
    ),
    "unpin": TopicSwitch(
        permissions.can_pin_topic,
        services.unpin_topic,
        gettext_lazy("The topic is no longer pinned."),
        gettext_lazy("The topic was not pinned."),
    ),
    "unhide": TopicSwitch(
        permissions.can_hide_topic,
        services.unhide_topic,
        gettext_lazy("The topic is visible again."),
        gettext_lazy("The topic was not hidden."),
    ),
}


@require_POST
def topic_switch(request: HttpRequest, pk: int, slug: str, action: str) -> HttpResponse:
    """Lock, unlock, pin, unpin or unhide a topic."""
    topic = _get_topic(request, pk)
    switch = TOPIC_SWITCHES[action]
    if refusal := _refuse(request, switch.allowed(request.user), topic.get_absolute_url()):
        return refusal
    changed = switch.service(topic, moderator=request.user)
    messages.success(request, str(switch.done if changed else switch.unchanged))
    return HttpResponseRedirect(topic.get_absolute_url())


@require_http_methods(["GET", "POST"])
def topic_hide(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """Hide a topic, with a reason."""
    topic = _get_topic(request, pk)
    if refusal := _refuse(request, permissions.can_hide_topic(request.user), request.path):
        return refusal
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.hide_topic(topic, moderator=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The topic is hidden: only moderators see it now."))
        return HttpResponseRedirect(topic.get_absolute_url())
    return _form_page(
        request, form=form, title=_("Hide topic"), submit=_("Hide topic"), topic=topic,
        intro=_("Members and guests will no longer find this topic; moderators still see it."),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def topic_move(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """Move a topic to another forum."""
    topic = _get_topic(request, pk)
    if refusal := _refuse(request, permissions.can_move_topic(request.user), request.path):
        return refusal
    form = MoveForm(request.POST or None, initial={"forum": topic.forum_id})
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["forum"]
        if services.move_topic(
            topic, to_forum=target, moderator=request.user, reason=form.cleaned_data["reason"]
        ):
            messages.success(request, _("The topic is moved to “%(forum)s”.") % {"forum": target})
        else:
            messages.info(request, _("The topic is already in that forum."))
        return HttpResponseRedirect(topic.get_absolute_url())
    return _form_page(
        request, form=form, title=_("Move topic"), submit=_("Move topic"), topic=topic,
    )  # fmt: skip


# --- Posts ----------------------------------------------------------------------


def _moderation_error(request: HttpRequest, post: Post, error: Exception) -> HttpResponse:
    messages.error(request, str(error))
    return HttpResponseRedirect(post_url(post))


@require_http_methods(["GET", "POST"])
def post_hide(request: HttpRequest, pk: int) -> HttpResponse:
    """Hide a post, with a reason."""
    post = _get_post(request, pk)
    if refusal := _refuse(request, permissions.can_hide_post(request.user), request.path):
        return refusal
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hide_post(post, moderator=request.user, reason=form.cleaned_data["reason"])
        except services.ModerationError as error:
            return _moderation_error(request, post, error)
        messages.success(request, _("The post is hidden: only moderators see it now."))
        return HttpResponseRedirect(post_url(post))
    return _form_page(
        request, form=form, title=_("Hide post"), submit=_("Hide post"), topic=post.topic,
        post=post,
        intro=_("Members and guests will no longer see this post; moderators still do."),
    )  # fmt: skip


@require_POST
def post_unhide(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post(request, pk)
    if refusal := _refuse(request, permissions.can_hide_post(request.user), post_url(post)):
        return refusal
    try:
        changed = services.unhide_post(post, moderator=request.user)
    except services.ModerationError as error:
        return _moderation_error(request, post, error)
    messages.success(
        request, _("The post is visible again.") if changed else _("The post was not hidden.")
    )
    return HttpResponseRedirect(post_url(post))


@require_POST
def post_approve(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post(request, pk)
    if refusal := _refuse(request, permissions.can_approve_posts(request.user), post_url(post)):
        return refusal
    changed = services.approve_post(post, moderator=request.user)
    messages.success(
        request,
        _("The post is approved.") if changed else _("The post was not waiting for approval."),
    )
    return HttpResponseRedirect(post_url(post))


@require_http_methods(["GET", "POST"])
def post_reject(request: HttpRequest, pk: int) -> HttpResponse:
    """Refuse a post that awaits approval, with a reason."""
    post = _get_post(request, pk)
    if refusal := _refuse(request, permissions.can_approve_posts(request.user), request.path):
        return refusal
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.reject_post(post, moderator=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The post is rejected and stays hidden."))
        return HttpResponseRedirect(post_url(post))
    return _form_page(
        request, form=form, title=_("Reject post"), submit=_("Reject post"), topic=post.topic,
        post=post, intro=_("The post will stay hidden; moderators still see it."),
    )  # fmt: skip


# --- Reports ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def post_report(request: HttpRequest, pk: int) -> HttpResponse:
    """A member reports a post to the moderators."""
    post = _get_post(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.path)
    permissions.check_report(request.user, post)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.file_report(
                post,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                message=form.cleaned_data["message"],
            )
        except services.ModerationError as error:
            messages.info(request, str(error))
        else:
            messages.success(
                request,
                _("Thank you. The moderators will look at this post; "
                  "you can follow your report under Account settings → Reports."),
            )  # fmt: skip
        return HttpResponseRedirect(post_url(post))
    return render(
        request,
        "forum/moderation/report_form.html",
        {"form": form, "post": post, "topic": post.topic, "forum": post.topic.forum},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """The reports a member filed, with what the moderators decided."""
    reports = (
        Report.objects.filter(reporter=request.user)
        .select_related("post__topic__forum")
        .order_by("-created_at", "-id")
    )
    page = Paginator(reports, 20).get_page(request.GET.get("page"))
    for report in page:
        report.post_visible = permissions.can_see_post(request.user, report.post)
    return render(request, "forum/moderation/report_list.html", {"reports": page})
