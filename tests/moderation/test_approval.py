"""The approval queue: which posts wait, who sees them meanwhile, and approving them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from forum.moderation.models import ModerationAction
from forum.posts.models import Post
from forum.threads.models import Topic
from tests.factories import ForumFactory, UserFactory, make_topic

pytestmark = pytest.mark.django_db


def reply_url(topic: Topic) -> str:
    return f"/topic/{topic.pk}-{topic.slug}/reply/"


@pytest.fixture
def newcomer_client() -> tuple[Client, object]:
    newcomer = UserFactory(username="newcomer")
    client = Client()
    client.force_login(newcomer)
    return client, newcomer


def test_a_new_members_first_posts_wait_when_the_setting_says_so(
    settings, newcomer_client, guest_client, member_client
):
    settings.AGORA_APPROVE_FIRST_POSTS = 1
    client, newcomer = newcomer_client
    topic = make_topic(title="Open topic")
    response = client.post(reply_url(topic), {"body": "Hello, first post here"}, follow=True)
    post = Post.objects.get(author=newcomer)
    assert post.pending
    html = response.content.decode()
    assert "Your post will appear once a moderator approves it." in html
    assert "Awaiting approval" in html and "Hello, first post here" in html
    for other in (guest_client, member_client):
        assert "Hello, first post here" not in other.get(topic.get_absolute_url()).content.decode()
        assert other.get(f"/post/{post.pk}/").status_code == 404
    topic.refresh_from_db()
    assert topic.reply_count == 0


def test_links_from_members_younger_than_a_day_wait(settings, newcomer_client):
    settings.AGORA_APPROVE_LINKS_HOURS = 24
    client, newcomer = newcomer_client
    topic = make_topic()
    client.post(reply_url(topic), {"body": "No links here."})
    client.post(reply_url(topic), {"body": "Visit https://spam.example.com now"})
    assert list(Post.objects.filter(author=newcomer).order_by("position")
                .values_list("pending", flat=True)) == [False, True]  # fmt: skip
    # A day later the same post goes straight through.
    newcomer.date_joined = timezone.now() - timedelta(hours=25)
    newcomer.save()
    client.post(reply_url(topic), {"body": "Still https://example.com"})
    assert not Post.objects.filter(author=newcomer).order_by("-position").first().pending


def test_moderators_posts_never_wait(settings, moderator_client, moderator):
    settings.AGORA_APPROVE_FIRST_POSTS = 5
    settings.AGORA_APPROVE_LINKS_HOURS = 24
    topic = make_topic()
    moderator_client.post(reply_url(topic), {"body": "Rules: https://example.com/rules"})
    assert not Post.objects.get(author=moderator).pending


def test_a_held_new_topic_is_seen_by_its_author_only(
    settings, newcomer_client, guest_client, member_client, moderator_client
):
    settings.AGORA_APPROVE_FIRST_POSTS = 1
    client, newcomer = newcomer_client
    forum = ForumFactory()
    response = client.post(f"/forum/{forum.pk}-{forum.slug}/new/",
                           {"title": "My first topic", "body": "Hi all"}, follow=True)  # fmt: skip
    topic = Topic.objects.get(title="My first topic")
    assert topic.pending and response.status_code == 200
    assert "This topic awaits approval" in response.content.decode()
    assert "<textarea" not in response.content.decode()  # no replies before approval
    assert guest_client.get(topic.get_absolute_url()).status_code == 404
    assert member_client.get(topic.get_absolute_url()).status_code == 404
    assert "My first topic" not in guest_client.get(forum.get_absolute_url()).content.decode()
    forum.refresh_from_db()
    assert forum.topic_count == 0
    # Moderators see it, badged, and approve it from the topic page.
    listing = moderator_client.get(forum.get_absolute_url()).content.decode()
    assert "My first topic" in listing and "Awaiting approval" in listing
    page = moderator_client.get(topic.get_absolute_url()).content.decode()
    assert f'action="/post/{topic.first_post_id}/approve/"' in page
    moderator_client.post(f"/post/{topic.first_post_id}/approve/")
    assert guest_client.get(topic.get_absolute_url()).status_code == 200
    forum.refresh_from_db()
    assert forum.topic_count == 1
    assert ModerationAction.objects.get().action == ModerationAction.Kind.POST_APPROVE


def test_reject_from_the_topic_page(settings, newcomer_client, moderator_client, guest_client):
    settings.AGORA_APPROVE_FIRST_POSTS = 1
    client, newcomer = newcomer_client
    topic = make_topic()
    client.post(reply_url(topic), {"body": "Cheap watches"})
    post = Post.objects.get(author=newcomer)
    page = moderator_client.get(f"/post/{post.pk}/reject/")
    assert page.status_code == 200 and "Cheap watches" in page.content.decode()
    moderator_client.post(f"/post/{post.pk}/reject/", {"reason": "Advertising"})
    post.refresh_from_db()
    assert post.hidden and not post.pending
    # Rejected: the author no longer sees it either.
    assert "Cheap watches" not in client.get(topic.get_absolute_url()).content.decode()
    assert "Cheap watches" not in guest_client.get(topic.get_absolute_url()).content.decode()


def test_members_cannot_approve(member_client, settings, newcomer_client):
    settings.AGORA_APPROVE_FIRST_POSTS = 1
    client, newcomer = newcomer_client
    topic = make_topic()
    client.post(reply_url(topic), {"body": "Waiting"})
    post = Post.objects.get(author=newcomer)
    assert client.post(f"/post/{post.pk}/approve/").status_code == 403  # not even the author
    assert member_client.post(f"/post/{post.pk}/approve/").status_code == 404  # cannot see it
    assert Post.objects.get(pk=post.pk).pending
