"""Edit history and the edit window: every edit is a revision, moderators read them all."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.posts import services as post_services
from forum.posts.models import Post
from tests.factories import make_topic

pytestmark = pytest.mark.django_db


def age(post: Post, minutes: int) -> None:
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(minutes=minutes))


def test_authors_edit_within_the_window(settings, member_client, member):
    settings.AGORA_EDIT_WINDOW_MINUTES = 60
    topic = make_topic(author=member)
    post = Post.objects.get(pk=topic.first_post_id)
    edit_url = f"/post/{post.pk}/edit/"
    age(post, 59)
    assert edit_url in member_client.get(topic.get_absolute_url()).content.decode()
    age(post, 61)
    assert edit_url not in member_client.get(topic.get_absolute_url()).content.decode()
    response = member_client.post(f"/post/{post.pk}/edit/", {"title": topic.title, "body": "Late"})
    assert response.status_code == 403
    assert Post.objects.get(pk=post.pk).body == "The first post."


def test_no_window_when_the_setting_is_zero(settings, member_client, member):
    settings.AGORA_EDIT_WINDOW_MINUTES = 0
    topic = make_topic(author=member)
    age(Post.objects.get(pk=topic.first_post_id), 60 * 24 * 365)
    url = f"/post/{topic.first_post_id}/edit/"
    assert member_client.post(url, {"title": topic.title, "body": "Years later"}).status_code == 302


def test_moderators_edit_any_post_at_any_time(settings, moderator_client):
    settings.AGORA_EDIT_WINDOW_MINUTES = 5
    topic = make_topic(replies=1)
    post = Post.objects.get(topic=topic, position=2)
    age(post, 60 * 24 * 30)
    assert moderator_client.post(f"/post/{post.pk}/edit/", {"body": "Fixed"}).status_code == 302
    assert Post.objects.get(pk=post.pk).body == "Fixed"


def test_history_shows_every_version_with_its_changes(moderator_client, moderator, member):
    topic = make_topic(author=member, body="Line one\nLine two")
    post = Post.objects.get(pk=topic.first_post_id)
    post_services.edit_post(post, editor=member, body="Line one\nLine 2")
    post_services.edit_post(post, editor=moderator, body="Line one\nLine 2\nLine three")
    html = moderator_client.get(topic.get_absolute_url()).content.decode()
    assert f'href="/post/{post.pk}/history/"' in html
    assert f"by {moderator.username}" in html  # "Edited just now by <name>"
    page = moderator_client.get(f"/post/{post.pk}/history/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Original" in html and "Edit 1" in html and "Edit 2" in html and "Current" in html
    assert html.index("Edit 2") < html.index("Edit 1") < html.index("Original")  # newest first
    assert 'diff__line--removed"><span class="visually-hidden">Removed:</span>Line two' in html
    assert 'diff__line--added"><span class="visually-hidden">Added:</span>Line 2' in html
    assert 'diff__line--added"><span class="visually-hidden">Added:</span>Line three' in html
    assert f"By {member.username}" in html and f"By {moderator.username}" in html


def test_history_is_for_moderators(member_client, member, guest_client):
    topic = make_topic(author=member)
    post = Post.objects.get(pk=topic.first_post_id)
    post_services.edit_post(post, editor=member, body="Changed")
    assert member_client.get(f"/post/{post.pk}/history/").status_code == 403
    assert "/history/" not in member_client.get(topic.get_absolute_url()).content.decode()
    response = guest_client.get(f"/post/{post.pk}/history/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_history_escapes_the_text(moderator_client, member):
    topic = make_topic(author=member, body="<script>alert(1)</script>")
    post = Post.objects.get(pk=topic.first_post_id)
    post_services.edit_post(post, editor=member, body="<b>bold</b>")
    html = moderator_client.get(f"/post/{post.pk}/history/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_history_costs_the_same_for_one_edit_and_many(moderator_client, member):
    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert moderator_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    topic = make_topic(author=member)
    post = Post.objects.get(pk=topic.first_post_id)
    post_services.edit_post(post, editor=member, body="v1")
    url = f"/post/{post.pk}/history/"
    moderator_client.get(url)  # warm up
    one = queries(url)
    for n in range(2, 12):
        post_services.edit_post(post, editor=member, body=f"v{n}")
    assert queries(url) == one
