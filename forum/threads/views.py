from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from forum import pagecache, permissions, ratelimit
from forum.boards.models import Forum
from forum.moderation.models import Report
from forum.notifications import services as notifications
from forum.notifications.unread import may_have_seen_notifications, topic_reader
from forum.pagination import page_links
from forum.posts import fragments, quoting
from forum.posts.forms import PostForm, TopicForm
from forum.posts.services import start_topic
from forum.posts.views import AWAITING_APPROVAL, bind_editor
from forum.presence.tracking import page_key
from forum.reactions.bars import reaction_bars
from forum.threads import pagedata
from forum.threads.counters import count_view, pending_views


def topic_detail(request: HttpRequest, pk: int, slug: str, page: int = 1) -> HttpResponse:
    """One page of a topic: its posts in order, and the reply form or the guest gate."""
    cached_page = pagecache.Page((f"topic:{pk}",), page_key("topic", pk), pk)
    pagecache.begin(request, cached_page)
    data = pagedata.load(pk, page)
    topic = data.topic
    permissions.check_see_topic(request.user, topic)
    if slug != topic.slug or (page == 1 and "page" in request.resolver_match.kwargs):
        return HttpResponsePermanentRedirect(topic.get_page_url(page))
    if data.posts is None:
        raise Http404
    count_view(topic.pk)
    context = topic_page_context(request, data, page)
    reader = context["reader"]
    if context["can_follow"]:
        # Pages are position ranges: this one shows the member up to its last position.
        seen = min(page * settings.AGORA_POSTS_PER_PAGE, topic.last_position)
        notifications.advance_read_position(request.user, topic, seen, current=reader)
        # Before rendering, so this response's bell already counts them out.
        if may_have_seen_notifications(request.user, reader):
            shown = [post.pk for post in context["posts"]]
            notifications.mark_seen_notifications_read(request.user, shown)
        read_to = max(seen, reader.last_read_position if reader else 0)
        context["unread_url"] = (
            reverse("notifications:topic_unread", kwargs={"pk": topic.pk, "slug": topic.slug})
            if read_to < topic.last_position
            else ""
        )
    context["presence"] = pagecache.presence_slot(request, cached_page)
    response = render(request, "forum/threads/topic_detail.html", context)
    return pagecache.keep(request, fragments.fill_csrf(request, response))


def topic_page_context(
    request: HttpRequest, data: pagedata.TopicPage, page: int, form: PostForm | None = None
) -> dict:
    """Everything the topic page shows, in a fixed number of queries (fewer when
    the topic's rows come from the cache: see ``forum.threads.pagedata``)."""
    user = request.user
    topic = data.topic
    for post in data.posts:
        post.topic = topic  # the permission rules read post.topic; it is already loaded
    posts = permissions.visible_posts_in_page(user, data.posts)

    topic.views += pending_views([topic.pk]).get(topic.pk, 0)
    can_reply = permissions.can_reply(user, topic)
    shown = [post.pk for post in posts]

    # What the viewer may do with each post. The multi-quote marks come from the
    # member's session, already loaded to sign them in; moderators' open reports
    # per post are one aggregate for the whole page.
    may_edit_any = permissions.is_member(user)
    may_hide = permissions.can_hide_post(user)
    may_approve = permissions.can_approve_posts(user)
    may_recommend = permissions.may_recommend_posts(user)
    multiquoted = quoting.selected_posts(request.session, topic.pk) if can_reply else []
    open_reports = {}
    if permissions.can_handle_reports(user):
        open_reports = Report.objects.open_counts(shown)
    for post in posts:
        post.can_edit = may_edit_any and permissions.can_edit_post(user, post)
        post.can_report = may_edit_any and permissions.can_report(user, post)
        post.can_hide = may_hide and not post.is_first
        post.can_approve = may_approve and post.pending
        post.can_view_history = may_hide and post.edit_count > 0
        post.open_reports = open_reports.get(post.pk, 0)
        post.can_quote = can_reply
        post.multiquoted = post.pk in multiquoted
        post.can_recommend = may_recommend and permissions.can_recommend_post(user, post)
        post.is_recommended = hasattr(post, "recommendation")

    # Quotes and reactions, one query each for the whole page; a member's read
    # position and follow state, and whether they have unread notifications
    # about these posts: one query.
    quoting.attribute_quotes(posts, user)  # only when the page quotes posts
    reaction_bars(posts, user, data.reaction_rows)  # counts, and the member's own reactions
    reader = topic_reader(user, topic, shown_posts=shown)
    fragments.render_posts(posts, topic)  # shared renderings from the cache
    return {
        "topic": topic,
        "forum": topic.forum,
        "posts": posts,
        "page_number": page,
        "pages": page_links(page, topic.page_count, topic.get_page_url),
        "can_reply": can_reply,
        "reply_form": (form or PostForm()) if can_reply else None,
        "multiquote_count": len(multiquoted),
        "is_guest": not user.is_authenticated,
        "feed_url": reverse("posts:topic_feed", kwargs={"pk": topic.pk, "slug": topic.slug})
        if permissions.is_public_topic(topic)
        else "",
        "posting_refusal": permissions.posting_refusal(user),
        "topic_tools": permissions.topic_tools(user),
        "recommended": data.recommended,
        "reader": reader,
        "can_follow": permissions.can_follow(user),
        "following": bool(reader and reader.following),
    }


def topic_create(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """Start a topic in a forum (members)."""
    forum = get_object_or_404(Forum.objects.select_related("category"), pk=pk)
    permissions.check_read_forum(request.user, forum)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_start_topic(request.user, forum):
        raise PermissionDenied(permissions.posting_refusal(request.user) or "")
    editor = bind_editor(request, TopicForm)
    status = 400 if request.method == "POST" else 200
    if editor.valid:
        body = editor.form.cleaned_data["body"]
        attachments = len(editor.attachment_ids)
        refusal = ratelimit.check_new_post(request.user, body, attachments=attachments)
        if refusal is None:
            topic = start_topic(
                forum,
                author=request.user,
                title=editor.form.cleaned_data["title"],
                body=body,
                attachment_ids=editor.attachment_ids,
                pending=ratelimit.needs_approval(request.user, body, attachments=attachments),
            )
            if topic.pending:
                messages.info(request, AWAITING_APPROVAL)
            return redirect(topic)
        editor.form.add_error(None, refusal.message)
        status = refusal.status
    return render(
        request,
        "forum/threads/topic_form.html",
        {"forum": forum, "form": editor.form, "attachments": editor.attachments(request.user)},
        status=status,
    )
