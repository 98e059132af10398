from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from forum import permissions
from forum.posts import quoting, services
from forum.posts.forms import PostEditForm, PostForm
from forum.posts.models import Post
from forum.threads.models import Topic


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
    if not permissions.can_reply(request.user, topic):
        raise PermissionDenied
    initial = None
    if request.method == "GET" and "quote" in request.GET:
        # ?quote=12&quote=34: the editor starts with those posts quoted (no JavaScript needed).
        quoted = quoting.quotable_posts(request.user, request.GET.getlist("quote"))
        initial = {"body": quoting.quotes_markup(quoted)}
    form = PostForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        post = services.reply_to_topic(topic, author=request.user, body=form.cleaned_data["body"])
        post.topic = topic
        topic.last_position = post.position
        return HttpResponseRedirect(post_url(post))
    return render(
        request,
        "forum/posts/post_form.html",
        {"topic": topic, "forum": topic.forum, "form": form, "mode": "reply"},
        status=400 if request.method == "POST" else 200,
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
        services.edit_post(
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


# --- Quoting ----------------------------------------------------------------------


def _get_topic_for_quoting(request: HttpRequest, pk: int) -> Topic:
    topic = get_object_or_404(Topic.objects.select_related("forum__category"), pk=pk)
    permissions.check_see_topic(request.user, topic)
    return topic


def _reply_url(topic: Topic, quoted: list[int]) -> str:
    url = reverse("posts:topic_reply", kwargs={"pk": topic.pk, "slug": topic.slug})
    return f"{url}?{urlencode([('quote', pk) for pk in quoted])}" if quoted else url


def _text(body: str) -> HttpResponse:
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


@require_GET
def quote_text(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """The quote markup of ``?quote=`` posts, as text, for the editor's Quote buttons."""
    topic = _get_topic_for_quoting(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(topic.get_absolute_url())
    if not permissions.can_reply(request.user, topic):
        raise PermissionDenied
    posts = quoting.quotable_posts(request.user, request.GET.getlist("quote"))
    return _text(quoting.quotes_markup(posts))


@require_http_methods(["GET", "POST"])
def post_quote(request: HttpRequest, pk: int) -> HttpResponse:
    """POST marks or unmarks a post for multi-quote; GET opens the reply form quoting it."""
    post = _get_post(pk)
    permissions.check_see_post(request.user, post)
    if not request.user.is_authenticated:
        if request.htmx:  # signed out in another tab: the whole page goes to sign in
            return HttpResponseClientRedirect(redirect_to_login(post.get_absolute_url()).url)
        return redirect_to_login(post.get_absolute_url())
    if not permissions.can_quote(request.user, post):
        raise PermissionDenied
    if request.method == "GET":
        return HttpResponseRedirect(_reply_url(post.topic, [post.pk]) + "#reply")
    selected = quoting.toggle_selected(request.session, post.topic_id, post.pk)
    if request.htmx:
        return render(
            request,
            "forum/posts/partials/multiquote_response.html",
            {
                "post": post,
                "topic": post.topic,
                "selected": selected,
                "count": len(quoting.selected_posts(request.session, post.topic_id)),
            },
        )
    return HttpResponseRedirect(post_url(post))


@require_POST
def topic_multiquote(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """Quote every post the member marked in this topic, and clear the marks.

    Without JavaScript: off to the reply form with the quotes in it. For the
    page's script: the quote markup as text, inserted at the editor's cursor.
    """
    topic = _get_topic_for_quoting(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(topic.get_absolute_url())
    if not permissions.can_reply(request.user, topic):
        raise PermissionDenied
    selected = quoting.take_selected(request.session, topic.pk)
    if request.htmx:
        return _text(quoting.quotes_markup(quoting.quotable_posts(request.user, selected)))
    return HttpResponseRedirect(_reply_url(topic, selected) + "#reply")
