"""Member profiles: who they are, and tabs of their posts and topics."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from forum.posts.models import Post
from forum.threads.models import Topic
from tests.factories import ForumFactory, UserFactory, make_post, make_topic, react

pytestmark = pytest.mark.django_db


def moderator_client() -> Client:
    moderator = UserFactory()
    moderator.user_permissions.add(Permission.objects.get(codename="hide_post"))
    client = Client()
    client.force_login(moderator)
    return client


def test_profile_shows_the_member_and_their_posts(guest_client):
    member = UserFactory(username="gardengnome42", title="Green Thumb")
    make_topic(author=member, title="Tomato leaves curling", body="Help with *tomatoes*")
    response = guest_client.get(member.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "gardengnome42" in html and "Green Thumb" in html
    assert "Tomato leaves curling" in html and "<em>tomatoes</em>" in html
    assert "Started the topic" in html


def test_profile_shows_reputation_joined_and_last_visit(guest_client):
    member = UserFactory(reputation=1234, last_seen=timezone.now() - timedelta(minutes=8))
    html = guest_client.get(member.get_absolute_url()).content.decode()
    assert '<p class="reputation__total reputation__total--positive">1,234</p>' in html
    assert "Joined</dt>" in html
    assert "Last visited</dt><dd><time" in html and "8 minutes ago" in html


def test_invisible_member_shows_last_visit_only_to_self_and_moderators(guest_client):
    member = UserFactory(browse_invisibly=True, last_seen=timezone.now())
    assert "Last visited" not in guest_client.get(member.get_absolute_url()).content.decode()
    own = Client()
    own.force_login(member)
    assert "Last visited" in own.get(member.get_absolute_url()).content.decode()
    assert "Last visited" in moderator_client().get(member.get_absolute_url()).content.decode()


def test_profile_shows_the_signature(guest_client):
    member = UserFactory(signature_html="<p>Shooting <strong>film</strong></p>")
    html = guest_client.get(member.get_absolute_url()).content.decode()
    assert "<p>Shooting <strong>film</strong></p>" in html


def test_topics_tab_lists_the_topics_they_started(guest_client):
    member = UserFactory()
    started = make_topic(author=member, title="My own topic")
    make_post(make_topic(title="Someone else's topic"), author=member, body="A reply of mine.")
    html = guest_client.get(f"/profile/{member.pk}-{member.slug}/topics/").content.decode()
    assert "My own topic" in html and "Someone else&#x27;s topic" not in html
    assert f'href="/topic/{started.pk}-my-own-topic/"' in html
    assert 'aria-current="page">Topics</a>' in html
    posts_html = guest_client.get(member.get_absolute_url()).content.decode()
    assert "A reply of mine." in posts_html and 'aria-current="page">Posts</a>' in posts_html


def test_tabs_hide_what_the_viewer_may_not_see(guest_client, member_client):
    member = UserFactory()
    make_topic(ForumFactory(read_access="members"), author=member, title="Back room talk")
    topic = make_topic(author=member, title="Public talk", replies=1)
    hidden_topic = make_topic(author=member, title="Quarrel")
    Topic.objects.filter(pk=hidden_topic.pk).update(hidden=True)
    Post.objects.filter(topic=topic, position=2).update(hidden=True)
    topics_url = f"/profile/{member.pk}-{member.slug}/topics/"
    for url in (member.get_absolute_url(), topics_url):
        guest_html = guest_client.get(url).content.decode()
        assert "Public talk" in guest_html
        assert "Back room talk" not in guest_html and "Quarrel" not in guest_html
        member_html = member_client.get(url).content.decode()
        assert "Back room talk" in member_html and "Quarrel" not in member_html
        moderator_html = moderator_client().get(url).content.decode()
        assert "Quarrel" in moderator_html and "badge--hidden" in moderator_html
    assert "Reply number 1." not in guest_client.get(member.get_absolute_url()).content.decode()
    assert "Reply number 1." in moderator_client().get(member.get_absolute_url()).content.decode()


def test_tabs_are_paginated(guest_client):
    member = UserFactory()
    topic = make_topic(author=member, title="Busy")
    for n in range(12):
        make_post(topic, author=member, body=f"Post {n}.")
    html = guest_client.get(member.get_absolute_url()).content.decode()
    assert "Page 1 of 2" in html
    assert f'href="/profile/{member.pk}-{member.slug}/?page=2"' in html
    page_two = guest_client.get(member.get_absolute_url() + "?page=2").content.decode()
    assert "Busy" in page_two and "Page 2 of 2" in page_two
    assert guest_client.get(member.get_absolute_url() + "?page=99").status_code == 200


def test_profile_slug_redirects(guest_client):
    member = UserFactory(username="ruth_ellis")
    response = guest_client.get(f"/profile/{member.pk}-someone/")
    assert response.status_code == 301
    assert response["Location"] == f"/profile/{member.pk}-ruth_ellis/"
    response = guest_client.get(f"/profile/{member.pk}-someone/topics/")
    assert response["Location"] == f"/profile/{member.pk}-ruth_ellis/topics/"


def test_inactive_member_has_no_profile(guest_client):
    member = UserFactory(is_active=False)
    assert guest_client.get(member.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("tab", ["", "topics/"])
def test_profile_query_count_is_constant(guest_client, django_assert_num_queries, tab):
    member = UserFactory()
    make_topic(author=member)
    url = f"/profile/{member.pk}-{member.slug}/{tab}"
    guest_client.get(url)  # warm the cached reaction types
    # member, count, one page of posts or topics, the reputation breakdown
    with django_assert_num_queries(4):
        guest_client.get(url)
    for _ in range(8):
        topic = make_topic(author=member, replies=1)
        react(Post.objects.get(pk=topic.first_post_id), UserFactory(), "Like")
    with django_assert_num_queries(4):
        guest_client.get(url)


def test_member_profile_query_count_is_constant(member_client, django_assert_num_queries):
    member = UserFactory()
    make_topic(author=member)
    member_client.get(member.get_absolute_url())  # warm the permission cache
    with django_assert_num_queries(6):  # session and viewer, then as for a guest
        member_client.get(member.get_absolute_url())
    for _ in range(8):
        make_topic(author=member, replies=1)
    with django_assert_num_queries(6):
        member_client.get(member.get_absolute_url())


def test_profile_shows_the_reputation_breakdown_by_reaction_type(guest_client):
    member = UserFactory()
    first = make_topic(author=member)
    second = make_topic(author=member)
    react(Post.objects.get(pk=first.first_post_id), UserFactory(), "Like")
    react(Post.objects.get(pk=second.first_post_id), UserFactory(), "Like")
    react(Post.objects.get(pk=second.first_post_id), UserFactory(), "Sad")
    hidden = make_topic(author=member)
    react(Post.objects.get(pk=hidden.first_post_id), UserFactory(), "Thanks")
    Post.objects.filter(pk=hidden.first_post_id).update(hidden=True)
    html = guest_client.get(member.get_absolute_url()).content.decode()
    block = html.split('class="reputation__breakdown"', 1)[1].split("</dl>", 1)[0]
    assert re.search(r"Like</dt>\s*<dd>2</dd>", block)
    assert re.search(r"Sad</dt>\s*<dd>1</dd>", block)
    assert "Thanks" not in block  # reactions to hidden posts do not count
    assert block.index("Like") < block.index("Sad")  # most given first


def test_quotes_in_the_posts_tab_say_who_said_it(guest_client):
    quoted = UserFactory(username="spidermike007")
    topic = make_topic(author=quoted, body="Fog at dawn.")
    member = UserFactory(username="quoter")
    make_post(
        topic,
        author=member,
        body=f'[quote="spidermike007, post:{topic.first_post_id}"]\nFog at dawn.\n[/quote]\nYes.',
    )
    html = guest_client.get(member.get_absolute_url()).content.decode()
    assert "spidermike007</a> said:" in html
    assert f'href="/post/{topic.first_post_id}/"' in html
