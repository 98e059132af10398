"""Starting a topic: the form, validation, counters and who may do it."""

from __future__ import annotations

import pytest

from forum.threads.models import Topic
from tests.factories import ForumFactory

pytestmark = pytest.mark.django_db


def _url(forum) -> str:
    return f"/forum/{forum.pk}-{forum.slug}/new/"


def test_member_starts_a_topic(member_client, member, forum):
    response = member_client.post(
        _url(forum), {"title": "  Tomato   leaves curling ", "body": "Help, *please*."}
    )
    topic = Topic.objects.get()
    assert response.status_code == 302 and response["Location"] == topic.get_absolute_url()
    assert topic.title == "Tomato leaves curling" and topic.slug == "tomato-leaves-curling"
    assert topic.author == member and topic.reply_count == 0
    forum.refresh_from_db()
    member.refresh_from_db()
    assert (forum.topic_count, forum.post_count, forum.last_topic_id) == (1, 1, topic.pk)
    assert member.post_count == 1
    html = member_client.get(topic.get_absolute_url()).content.decode()
    assert "<em>please</em>" in html


def test_form_errors_keep_what_was_typed(member_client, forum):
    response = member_client.post(_url(forum), {"title": "Hi", "body": "My long story..."})
    assert response.status_code == 400
    html = response.content.decode()
    assert "The title is too short" in html
    assert "My long story..." in html and 'value="Hi"' in html
    assert not Topic.objects.exists()


def test_empty_body_is_refused_with_a_message(member_client, forum):
    response = member_client.post(_url(forum), {"title": "A fine title", "body": "   \n "})
    assert response.status_code == 400
    assert "Your post is empty" in response.content.decode()
    assert 'value="A fine title"' in response.content.decode()


def test_guest_is_sent_to_sign_in_and_nothing_is_saved(guest_client, forum):
    response = guest_client.post(_url(forum), {"title": "Spam spam", "body": "Buy now"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not Topic.objects.exists()


def test_locked_forum_refuses_members(member_client):
    forum = ForumFactory(locked=True)
    assert member_client.get(_url(forum)).status_code == 403
    response = member_client.post(_url(forum), {"title": "Sneaky", "body": "Let me in"})
    assert response.status_code == 403
    assert not Topic.objects.exists()


def test_csrf_is_required(member, forum):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(_url(forum), {"title": "No token", "body": "Forged"})
    assert response.status_code == 403
    assert not Topic.objects.exists()
