from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from forum import images, permissions, ratelimit
from forum.moderation import services as moderation_services
from forum.posts import quoting, services
from forum.posts.forms import PostEditForm, PostForm, RecommendForm
from forum.posts.models import Attachment, Post, RecommendedPost
from forum.threads.models import Topic

AWAITING_APPROVAL = gettext_lazy("Your post will appear once a moderator approves it.")


def post_url(post: Post) -> str:
    """The topic page holding ``post``, with its anchor."""
    return f"{post.topic.get_page_url(post.topic.page_of_position(post.position))}#{post.anchor}"


# --- The editor's images, shared by the reply, new-topic and edit pages ----------


def uploads_left(user: Any) -> int:
    """How many more images ``user`` may upload in the current hour."""
    since = timezone.now() - timedelta(hours=1)
    recent = Attachment.objects.filter(uploader=user, created_at__gte=since).count()
    return max(0, settings.AGORA_UPLOADS_PER_HOUR - recent)


@dataclass
class Editor:
    """A bound post form, with the images that go with it."""

    form: PostForm
    valid: bool
    attachment_ids: list[int]

    def attachments(self, user: Any, post: Post | None = None) -> list[Attachment]:
        """The images to show under the editor, ticked (one query, none without ids)."""
        if not self.attachment_ids:
            return []
        return list(
            Attachment.objects.attachable(user, post)
            .filter(pk__in=self.attachment_ids)
            .order_by("pk")
        )


def bind_editor(
    request: HttpRequest,
    form_class: type[PostForm],
    *,
    initial_ids: list[int] | None = None,
    **kwargs: Any,
) -> Editor:
    """Bind ``form_class`` to the request and keep the images it accepted.

    The accepted images are stored as the member's uploads even when the form
    fails, so a failed submission loses neither the text nor the images: they
    come back ticked under the editor, each refused file with its message.
    """  # fmt: skip
    if request.method != "POST":
        return Editor(form_class(**kwargs), False, list(initial_ids or []))
    left = uploads_left(request.user) if request.FILES else None
    form = form_class(request.POST, request.FILES, uploads_left=left, **kwargs)
    valid = form.is_valid()
    ids = list(
        form.cleaned_data.get("attachments")
        or form.fields["attachments"].to_python(request.POST.getlist("attachments"))
    )
    for filename, image in form.accepted_images:
        ids.append(services.store_upload(request.user, image=image, filename=filename).pk)
    return Editor(form, valid, ids)


def attachment_json(attachment: Attachment) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "name": attachment.name,
        "markdown": attachment.markdown,
        "url": attachment.file.url,
        "display_url": attachment.display_url,
        "width": attachment.display_width,
        "height": attachment.display_height,
    }


@require_POST
def attachment_upload(request: HttpRequest) -> JsonResponse:
    """Store one image from the editor (drag and drop, paste, the file picker with
    JavaScript) and answer with the Markdown to insert; errors as a message."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Sign in to upload images.")}, status=403)
    if not permissions.can_upload_images(request.user):
        return JsonResponse({"error": _("You may not upload images.")}, status=403)
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"error": _("Choose an image to upload.")}, status=400)
    name = images.display_name(upload.name)
    if uploads_left(request.user) <= 0:
        message = _(
            "%(name)s was not added: you have uploaded many images in the last hour. "
            "Please wait a while before adding more."
        )
        return JsonResponse({"error": message % {"name": name}}, status=429)
    try:
        image = images.process_upload(upload)
    except ValidationError as error:
        message = _("%(name)s: %(error)s") % {"name": name, "error": error.messages[0]}
        return JsonResponse({"error": message, "code": error.code}, status=400)
    attachment = services.store_upload(request.user, image=image, filename=upload.name)
    return JsonResponse(attachment_json(attachment), status=201)


def _get_topic(request: HttpRequest, pk: int) -> Topic:
    topic = get_object_or_404(Topic.objects.select_related("forum__category"), pk=pk)
    permissions.check_see_topic(request.user, topic)
    return topic


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
    topic = _get_topic(request, pk)
    if not request.user.is_authenticated:
        # A guest's crafted POST saves nothing: off to sign in, then back to the topic.
        return redirect_to_login(topic.get_absolute_url())
    permissions.check_reply(request.user, topic)
    initial = None
    if request.method == "GET" and "quote" in request.GET:
        # ?quote=12&quote=34: the editor starts with those posts quoted (no JavaScript needed).
        quoted = quoting.quotable_posts(request.user, request.GET.getlist("quote"))
        initial = {"body": quoting.quotes_markup(quoted)}
    editor = bind_editor(request, PostForm, initial=initial)
    status = 400 if request.method == "POST" else 200
    if editor.valid:
        body = editor.form.cleaned_data["body"]
        attachments = len(editor.attachment_ids)
        refusal = ratelimit.check_new_post(request.user, body, attachments=attachments)
        if refusal is None:
            post = services.reply_to_topic(
                topic,
                author=request.user,
                body=body,
                attachment_ids=editor.attachment_ids,
                pending=ratelimit.needs_approval(request.user, body, attachments=attachments),
            )
            post.topic = topic
            topic.last_position = post.position
            if post.pending:
                messages.info(request, AWAITING_APPROVAL)
            return HttpResponseRedirect(post_url(post))
        editor.form.add_error(None, refusal.message)
        status = refusal.status
    return render(
        request,
        "forum/posts/post_form.html",
        {"topic": topic, "forum": topic.forum, "form": editor.form, "mode": "reply",
         "attachments": editor.attachments(request.user)},
        status=status,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a post; the first post's form renames the topic too."""
    post = _get_post(pk)
    if not request.user.is_authenticated:
        permissions.check_see_post(request.user, post)
        return redirect_to_login(request.get_full_path())
    permissions.check_edit_post(request.user, post)
    initial = {"body": post.body, "title": post.topic.title}
    editor = bind_editor(
        request,
        PostEditForm,
        initial_ids=(
            list(post.attachments.values_list("pk", flat=True))
            if request.method != "POST"
            else None
        ),
        initial=initial,
        with_title=post.is_first,
    )
    if editor.valid:
        # Someone else's post: a moderator's edit, which the moderation log records.
        edit = (
            services.edit_post
            if post.author_id == request.user.pk
            else moderation_services.edit_post_as_moderator
        )
        edit(
            post,
            editor=request.user,
            body=editor.form.cleaned_data["body"],
            title=editor.form.cleaned_data.get("title"),
            attachment_ids=editor.attachment_ids,
        )
        return HttpResponseRedirect(post_url(post))
    return render(
        request,
        "forum/posts/post_form.html",
        {"topic": post.topic, "forum": post.topic.forum, "form": editor.form, "mode": "edit",
         "post": post, "attachments": editor.attachments(request.user, post)},
        status=400 if request.method == "POST" else 200,
    )  # fmt: skip


# --- Quoting ----------------------------------------------------------------------


def _reply_url(topic: Topic, quoted: list[int]) -> str:
    url = reverse("posts:topic_reply", kwargs={"pk": topic.pk, "slug": topic.slug})
    return f"{url}?{urlencode([('quote', pk) for pk in quoted])}" if quoted else url


def _text(body: str) -> HttpResponse:
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


@require_GET
def quote_text(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """The quote markup of ``?quote=`` posts, as text, for the editor's Quote buttons."""
    topic = _get_topic(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(topic.get_absolute_url())
    permissions.check_reply(request.user, topic)
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
    topic = _get_topic(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(topic.get_absolute_url())
    permissions.check_reply(request.user, topic)
    selected = quoting.take_selected(request.session, topic.pk)
    if request.htmx:
        return _text(quoting.quotes_markup(quoting.quotable_posts(request.user, selected)))
    return HttpResponseRedirect(_reply_url(topic, selected) + "#reply")


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


# --- Recommended posts -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def post_recommend(request: HttpRequest, pk: int) -> HttpResponse:
    """Recommend a post, with an optional note (moderators); GET shows the form alone."""
    post = _get_post(pk)
    permissions.check_see_post(request.user, post)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    permissions.check_recommend_post(request.user, post)
    current = RecommendedPost.objects.filter(post=post).first()
    form = RecommendForm(request.POST or None, initial={"note": current.note if current else ""})
    if request.method == "POST" and form.is_valid():
        services.recommend_post(post, by=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("The post is recommended to every reader of the topic."))
        return HttpResponseRedirect(post_url(post))
    return render(
        request,
        "forum/posts/post_recommend.html",
        {"post": post, "topic": post.topic, "forum": post.topic.forum, "form": form,
         "recommendation": current},
        status=400 if request.method == "POST" else 200,
    )  # fmt: skip


@require_POST
def post_unrecommend(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a post's recommendation off (moderators)."""
    post = _get_post(pk)
    permissions.check_see_post(request.user, post)
    if not request.user.is_authenticated:
        return redirect_to_login(post.get_absolute_url())
    permissions.check_unrecommend_post(request.user, post)
    if services.unrecommend_post(post):
        messages.success(request, _("The post is no longer recommended."))
    return HttpResponseRedirect(post_url(post))
