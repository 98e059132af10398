"""The moderator tools on the topic page: each a CSRF-protected POST that writes the log."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forum.moderation.models import ModerationAction
from forum.moderation.services import file_report, hide_post, hide_topic
from forum.posts.models import Post
from forum.threads.models import Topic
from tests.factories import ForumFactory, UserFactory, make_post, make_topic

pytestmark = pytest.mark.django_db

Kind = ModerationAction.Kind


def topic_url(topic: Topic, action: str) -> str:
    return f"/topic/{topic.pk}-{topic.slug}/{action}/"


@pytest.mark.parametrize(
    ("action", "field", "value", "kind", "message"),
    [
        ("lock", "locked", True, Kind.TOPIC_LOCK, "The topic is locked."),
        ("pin", "pinned", True, Kind.TOPIC_PIN, "The topic is pinned."),
    ],
)
def test_moderator_locks_and_pins_from_the_topic_page(
    moderator_client, moderator, action, field, value, kind, message
):
    topic = make_topic()
    response = moderator_client.post(topic_url(topic, action), follow=True)
    assert response.redirect_chain[-1][0] == topic.get_absolute_url()
    assert message in response.content.decode()
    assert getattr(Topic.objects.get(pk=topic.pk), field) is value
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.actor, entry.object_id) == (kind, moderator, topic.pk)
    undo = {"lock": "unlock", "pin": "unpin"}[action]
    moderator_client.post(topic_url(topic, undo))
    assert getattr(Topic.objects.get(pk=topic.pk), field) is not value
    assert ModerationAction.objects.count() == 2


def test_locked_topic_says_so_and_refuses_members(moderator_client, member_client):
    topic = make_topic()
    moderator_client.post(topic_url(topic, "lock"))
    html = member_client.get(topic.get_absolute_url()).content.decode()
    assert "This topic is now closed to further replies." in html
    assert "<textarea" not in html
    response = member_client.post(topic_url(topic, "reply"), {"body": "Let me in"})
    assert response.status_code == 403
    assert "closed to further replies" in response.content.decode()
    assert Post.objects.filter(topic=topic).count() == 1
    # Moderators may still reply to a locked topic.
    assert (
        moderator_client.post(topic_url(topic, "reply"), {"body": "Closing note"}).status_code
        == 302
    )


def test_topic_tools_are_posts_with_csrf(moderator):
    topic = make_topic()
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    for action in ("lock", "pin", "unhide", "hide", "move"):
        assert client.post(topic_url(topic, action), {"reason": "x"}).status_code == 403
    assert client.get(topic_url(topic, "lock")).status_code == 405
    topic.refresh_from_db()
    assert not topic.locked and not topic.pinned and not ModerationAction.objects.exists()


def test_hide_topic_needs_a_reason_and_then_guests_get_404(moderator_client, guest_client):
    topic = make_topic(title="Flame war")
    page = moderator_client.get(topic_url(topic, "hide"))
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    response = moderator_client.post(topic_url(topic, "hide"), {"reason": ""})
    assert response.status_code == 400 and "Give a reason" in response.content.decode()
    assert not Topic.objects.get(pk=topic.pk).hidden
    moderator_client.post(topic_url(topic, "hide"), {"reason": "Personal attacks"})
    assert guest_client.get(topic.get_absolute_url()).status_code == 404
    html = moderator_client.get(topic.get_absolute_url()).content.decode()
    assert "This topic is hidden by" in html and "Personal attacks" in html
    assert "Unhide topic" in html
    moderator_client.post(topic_url(topic, "unhide"))
    assert guest_client.get(topic.get_absolute_url()).status_code == 200
    assert [e.action for e in ModerationAction.objects.order_by("id")] == [
        Kind.TOPIC_HIDE, Kind.TOPIC_UNHIDE]  # fmt: skip


def test_hidden_topics_are_greyed_in_the_moderators_list(
    moderator_client, member_client, moderator
):
    topic = make_topic(title="Gone quiet")
    hide_topic(topic, moderator=moderator, reason="x")
    forum_url = topic.forum.get_absolute_url()
    assert "Gone quiet" not in member_client.get(forum_url).content.decode()
    html = moderator_client.get(forum_url).content.decode()
    assert "Gone quiet" in html and "is-hidden" in html


def test_move_page_chooses_the_forum(moderator_client):
    topic = make_topic(title="Misfiled")
    target = ForumFactory(name="Right Place")
    page = moderator_client.get(topic_url(topic, "move")).content.decode()
    assert "Right Place" in page and 'name="forum"' in page
    response = moderator_client.post(topic_url(topic, "move"), {"forum": target.pk}, follow=True)
    assert "The topic is moved to “Right Place”." in response.content.decode()
    assert Topic.objects.get(pk=topic.pk).forum_id == target.pk
    entry = ModerationAction.objects.get()
    assert entry.action == Kind.TOPIC_MOVE and "Right Place" in entry.details
    bad = moderator_client.post(topic_url(topic, "move"), {"forum": ""})
    assert bad.status_code == 400 and "Choose the forum" in bad.content.decode()


@pytest.mark.parametrize("action", ["lock", "pin", "hide", "move"])
def test_members_get_403_and_guests_sign_in(member_client, guest_client, action):
    topic = make_topic()
    assert member_client.post(topic_url(topic, action), {"reason": "x"}).status_code == 403
    response = guest_client.post(topic_url(topic, action), {"reason": "x"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    if action in ("hide", "move"):
        assert member_client.get(topic_url(topic, action)).status_code == 403
    assert not ModerationAction.objects.exists()


def test_a_hidden_topics_tools_are_404_for_members(member_client, moderator):
    topic = make_topic()
    hide_topic(topic, moderator=moderator, reason="x")
    assert member_client.post(topic_url(topic, "lock")).status_code == 404


def test_post_hide_inline_form_and_unhide(moderator_client, moderator, guest_client):
    topic = make_topic(replies=2)
    post = Post.objects.get(topic=topic, position=2)
    html = moderator_client.get(topic.get_absolute_url()).content.decode()
    form = html.split(f'action="/post/{post.pk}/hide/"', 1)[1].split("</form>", 1)[0]
    assert 'name="csrfmiddlewaretoken"' in form and 'name="reason"' in form
    response = moderator_client.post(f"/post/{post.pk}/hide/", {"reason": "Insults"})
    assert response.status_code == 302 and response["Location"].endswith(f"#post-{post.pk}")
    guest_html = guest_client.get(topic.get_absolute_url()).content.decode()
    assert f'id="post-{post.pk}"' not in guest_html
    mod_html = moderator_client.get(topic.get_absolute_url()).content.decode()
    article = mod_html.split(f'id="post-{post.pk}"', 1)[0].rsplit("<article", 1)[1]
    assert "is-hidden" in article
    assert f"Hidden by {moderator.username}: Insults" in mod_html
    assert f'action="/post/{post.pk}/unhide/"' in mod_html
    moderator_client.post(f"/post/{post.pk}/unhide/")
    assert f'id="post-{post.pk}"' in guest_client.get(topic.get_absolute_url()).content.decode()
    assert [e.action for e in ModerationAction.objects.order_by("id")] == [
        Kind.POST_HIDE, Kind.POST_UNHIDE]  # fmt: skip


def test_hiding_the_first_post_is_refused_with_a_message(moderator_client):
    topic = make_topic()
    response = moderator_client.post(
        f"/post/{topic.first_post_id}/hide/", {"reason": "x"}, follow=True
    )
    assert "hide or show the topic instead" in response.content.decode()
    assert not Post.objects.get(pk=topic.first_post_id).hidden
    assert f"/post/{topic.first_post_id}/hide/" not in response.content.decode()


def test_hide_post_page_without_javascript(moderator_client, member_client, guest_client):
    topic = make_topic(replies=1)
    post = Post.objects.get(topic=topic, position=2)
    page = moderator_client.get(f"/post/{post.pk}/hide/")
    assert page.status_code == 200 and "Reply number 1." in page.content.decode()
    assert member_client.get(f"/post/{post.pk}/hide/").status_code == 403
    assert guest_client.get(f"/post/{post.pk}/hide/").status_code == 302


def test_members_see_no_moderation_tools(member_client, member):
    topic = make_topic(replies=1)
    make_post(topic, author=member)
    html = member_client.get(topic.get_absolute_url()).content.decode()
    assert "Moderation" not in html and "/hide/" not in html and "/lock/" not in html
    assert "/report/" in html  # but they may report others' posts


def test_moderators_see_open_reports_on_posts(moderator_client):
    topic = make_topic(replies=1)
    post = Post.objects.get(topic=topic, position=2)
    file_report(post, reporter=UserFactory(), reason="spam")
    file_report(post, reporter=UserFactory(), reason="abuse")
    html = moderator_client.get(topic.get_absolute_url()).content.decode()
    assert "2 open reports" in html
    assert f"/admin/moderation/report/?post__id__exact={post.pk}" in html


def test_edited_post_names_the_editor(moderator_client, moderator, guest_client):
    topic = make_topic(replies=1)
    post = Post.objects.get(topic=topic, position=2)
    moderator_client.post(f"/post/{post.pk}/edit/", {"body": "Tidied."})
    html = guest_client.get(topic.get_absolute_url()).content.decode()
    assert re.search(rf"Edited <time[^>]*>just now</time> by {moderator.username}", html)
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.object_id) == (Kind.POST_EDIT, post.pk)


def test_an_authors_own_edit_is_not_a_moderation_action(member_client, member):
    topic = make_topic(author=member)
    member_client.post(f"/post/{topic.first_post_id}/edit/",
                       {"title": topic.title, "body": "Fixed a typo."})  # fmt: skip
    assert Post.objects.get(pk=topic.first_post_id).body == "Fixed a typo."
    assert not ModerationAction.objects.exists()


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_moderator_topic_page_query_count_is_constant(moderator_client, moderator):
    short = make_topic()
    long = make_topic(replies=19)
    for post in Post.objects.filter(topic=long, position__gt=10):
        hide_post(post, moderator=moderator, reason="x")
        file_report(post, reporter=UserFactory(), reason="spam")
    for topic in (short, long):  # warm up: last-seen write, permissions, read markers
        moderator_client.get(topic.get_absolute_url())
    one = _queries(moderator_client, short.get_absolute_url())
    twenty = _queries(moderator_client, long.get_absolute_url())
    # The member's budget, plus the one aggregate of open reports for the page.
    assert one == twenty <= 11


def test_post_tools_are_posts_with_csrf(moderator, settings):
    settings.AGORA_APPROVE_FIRST_POSTS = 0
    topic = make_topic(replies=2)
    post = Post.objects.get(topic=topic, position=2)
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    for action in ("hide", "unhide", "approve", "reject", "report"):
        assert client.post(f"/post/{post.pk}/{action}/", {"reason": "x"}).status_code == 403
    assert client.get(f"/post/{post.pk}/unhide/").status_code == 405
    assert client.get(f"/post/{post.pk}/approve/").status_code == 405
    assert not Post.objects.get(pk=post.pk).hidden and not ModerationAction.objects.exists()
