from __future__ import annotations

import difflib

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from forum import permissions, ratelimit
from forum.moderation import services as moderation_services
from forum.posts import services
from forum.posts.forms import PostEditForm, PostForm
from forum.posts.models import Post
from forum.threads.models import Topic

AWAITING_APPROVAL = gettext_lazy("Your post will appear once a moderator approves it.")


def post_url(post: Post) -> str:
    """The topic page holding ``post``, with its anchor."""
    return f"{post.topic.get_page_url(post.topic.page_of_position(post.position))}#{post.anchor}"


def _get_post(pk: int) -> Post:
    return get_object_or_404(Post.objects.select_related("topic__forum__category", "author"), pk=pk)


def post_permalink(request: HttpRequest, pk: int) -> HttpResponse:
    """Send ``/post/<id>/`` to the page of the topic that holds the post."""
    post = _get_post(pk)
    permissions.check_see_post(request.user, post)
    return HttpResponseRedirect(post_url(post))


@require_http_methods(["GET", "POST"])
def topic_reply(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """The reply form: shown on its own without JavaScript, and posted to from the topic page."""
    topic = get_object_or_404(Topic.objects.select_related("forum__category"), pk=pk)
    permissions.check_see_topic(request.user, topic)
    if not request.user.is_authenticated:
        # A guest's crafted POST saves nothing: off to sign in, then back to the topic.
        return redirect_to_login(topic.get_absolute_url())
    permissions.check_reply(request.user, topic)
    form = PostForm(request.POST or None)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        body = form.cleaned_data["body"]
        refusal = ratelimit.check_new_post(request.user, body)
        if refusal is None:
            post = services.reply_to_topic(
                topic,
                author=request.user,
                body=body,
                pending=ratelimit.needs_approval(request.user, body),
            )
            post.topic = topic
            topic.last_position = post.position
            if post.pending:
                messages.info(request, AWAITING_APPROVAL)
            return HttpResponseRedirect(post_url(post))
        form.add_error(None, refusal.message)
        status = refusal.status
    return render(
        request,
        "forum/posts/post_form.html",
        {"topic": topic, "forum": topic.forum, "form": form, "mode": "reply"},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a post; the first post's form renames the topic too."""
    post = _get_post(pk)
    if not request.user.is_authenticated:
        permissions.check_see_post(request.user, post)
        return redirect_to_login(request.get_full_path())
    permissions.check_edit_post(request.user, post)
    initial = {"body": post.body, "title": post.topic.title}
    form = PostEditForm(request.POST or None, initial=initial, with_title=post.is_first)
    if request.method == "POST" and form.is_valid():
        # Someone else's post: a moderator's edit, which the moderation log records.
        edit = (
            services.edit_post
            if post.author_id == request.user.pk
            else moderation_services.edit_post_as_moderator
        )
        edit(
            post,
            editor=request.user,
            body=form.cleaned_data["body"],
            title=form.cleaned_data.get("title"),
        )
        return HttpResponseRedirect(post_url(post))
    return render(
        request,
        "forum/posts/post_form.html",
        {"topic": post.topic, "forum": post.topic.forum, "form": form, "mode": "edit",
         "post": post},
        status=400 if request.method == "POST" else 200,
    )  # fmt: skip


def post_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every version of a post, oldest first, each edit shown as a line diff (moderators)."""
    post = _get_post(pk)
    if not request.user.is_authenticated:
        permissions.check_see_post(request.user, post)
        return redirect_to_login(request.get_full_path())
    permissions.check_view_history(request.user, post)
    # A revision holds the text *before* an edit, made by its editor at its time.
    revisions = list(post.revisions.select_related("editor").order_by("created_at", "id"))
    texts = [r.body for r in revisions] + [post.body]
    versions = [
        {"number": 0, "editor": post.author, "at": post.created_at, "body": texts[0], "diff": None}
    ]
    for number, revision in enumerate(revisions, start=1):
        before, after = texts[number - 1], texts[number]
        diff = [
            {"kind": {"+": "added", "-": "removed"}.get(line[0], "same"), "text": line[2:]}
            for line in difflib.ndiff(before.splitlines(), after.splitlines())
            if not line.startswith("?")
        ]
        versions.append(
            {"number": number, "editor": revision.editor, "at": revision.created_at,
             "body": after, "diff": diff}
        )  # fmt: skip
    return render(
        request,
        "forum/posts/post_history.html",
        {"post": post, "topic": post.topic, "forum": post.topic.forum,
         "versions": list(reversed(versions))},
    )  # fmt: skip
