"""Replying to a topic: the happy path, validation, guests, locks and CSRF."""

from __future__ import annotations

import pytest
from django.test import Client

from forum.posts.models import Post
from forum.threads.models import Topic
from tests.factories import UserFactory, make_topic

pytestmark = pytest.mark.django_db


def _reply_url(topic) -> str:
    return f"/topic/{topic.pk}-{topic.slug}/reply/"


def test_member_replies_and_lands_on_the_post(member_client, member):
    topic = make_topic(replies=20)  # the reply will open page 2
    response = member_client.post(_reply_url(topic), {"body": "I agree with **all** of it."})
    post = Post.objects.get(topic=topic, position=22)
    assert response.status_code == 302
    assert response["Location"] == f"/topic/{topic.pk}-{topic.slug}/page/2/#post-{post.pk}"
    assert post.author == member and "<strong>all</strong>" in post.body_html
    html = member_client.get(response["Location"].split("#")[0]).content.decode()
    assert f'id="post-{post.pk}"' in html and "I agree with" in html


def test_reply_updates_every_counter(member_client, member):
    topic = make_topic()
    member_client.post(_reply_url(topic), {"body": "Counting."})
    topic.refresh_from_db()
    member.refresh_from_db()
    forum = topic.forum
    forum.refresh_from_db()
    post = Post.objects.get(topic=topic, position=2)
    assert topic.reply_count == 1 and topic.last_position == 2
    assert topic.last_post_id == post.pk and topic.last_poster == member
    assert member.post_count == 1
    assert forum.post_count == 2 and forum.last_post_id == post.pk


def test_failed_reply_shows_the_form_with_the_text_intact(member_client, settings):
    settings.AGORA_POST_MAX_LENGTH = 50
    topic = make_topic()
    text = "This is far too long for the limit we just set, so it must fail."
    response = member_client.post(_reply_url(topic), {"body": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Your post is too long" in html
    assert text in html
    assert Post.objects.filter(topic=topic).count() == 1


def test_empty_reply_is_refused_with_a_message(member_client):
    topic = make_topic()
    response = member_client.post(_reply_url(topic), {"body": "  "})
    assert response.status_code == 400
    assert "Your post is empty" in response.content.decode()


def test_guest_crafted_post_redirects_to_sign_in_and_saves_nothing(guest_client):
    topic = make_topic()
    response = guest_client.post(_reply_url(topic), {"body": "I am a bot"})
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/topic/{topic.pk}-{topic.slug}/"
    assert Post.objects.filter(topic=topic).count() == 1


def test_locked_topic_refuses_replies(member_client):
    topic = make_topic()
    Topic.objects.filter(pk=topic.pk).update(locked=True)
    response = member_client.post(_reply_url(topic), {"body": "Let me in"})
    assert response.status_code == 403
    assert Post.objects.filter(topic=topic).count() == 1
    html = member_client.get(topic.get_absolute_url()).content.decode()
    assert "This topic is now closed to further replies." in html
    assert "<textarea" not in html


def test_reply_requires_csrf(member):
    topic = make_topic()
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.post(_reply_url(topic), {"body": "forged"}).status_code == 403
    assert Post.objects.filter(topic=topic).count() == 1


def test_reply_form_page_works_without_javascript(member_client):
    topic = make_topic(title="Sourdough starter")
    response = member_client.get(_reply_url(topic))
    assert response.status_code == 200
    assert "Reply to “Sourdough starter”" in response.content.decode()


def test_stored_html_is_rendered_once_at_save(member_client):
    topic = make_topic()
    member_client.post(_reply_url(topic), {"body": "# Big\n\n<script>alert(1)</script>"})
    post = Post.objects.get(topic=topic, position=2)
    assert post.body_html.startswith("<h3>Big</h3>")
    assert "<script>" not in post.body_html
    assert post.render_version >= 1


def test_another_member_can_reply_too(member_client):
    topic = make_topic(author=UserFactory())
    assert member_client.post(_reply_url(topic), {"body": "Me too"}).status_code == 302
