"""Seeing a post reads its notifications: the topic page marks read the member's unread
notifications about the posts it shows, and the bell of that very page counts them out."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from forum.notifications import services
from forum.notifications.models import Kind, Notification
from forum.posts.models import Post
from forum.posts.services import recommend_post
from tests.factories import UserFactory, make_post, make_topic, react
from tests.notifications.conftest import bell_count as _bell
from tests.notifications.conftest import client_for, grant
from tests.threads.test_topic_page import (
    MEMBER_TOPIC_PAGE_QUERIES,
    READ_MARKER_WRITE,
    _count_queries,
)

pytestmark = pytest.mark.django_db

# A page that answers unread notifications writes twice: the notifications, then
# the member's bell counter (two tables, so two statements).
SEEN_NOTIFICATIONS_WRITES = 2


def _page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _unread(member: Any) -> list[str]:
    rows = Notification.objects.filter(recipient=member, read_at__isnull=True)
    return sorted(rows.values_list("kind", flat=True))


def _stored_bell(member: Any) -> int:
    return get_user_model().objects.get(pk=member.pk).unread_notifications


def test_opening_a_topic_reads_its_notifications_and_the_bell_shows_it_at_once(member):
    topic = make_topic(author=member, title="Fog over the river")
    make_post(topic, author=UserFactory(username="lena"))
    make_post(topic, author=UserFactory(username="kwame"))
    client = client_for(member)
    assert _bell(_page(client, "/")) == "2"

    html = _page(client, topic.get_absolute_url())
    assert _bell(html) == ""
    assert _unread(member) == []
    assert _stored_bell(member) == 0
    listing = _page(client, "/notifications/")
    assert 'class="notification is-unread"' not in listing
    assert "lena replied to" in re.sub(r"</?strong>", "", listing)


def test_notifications_about_other_topics_stay_unread_and_counted(member):
    here = make_topic(author=member)
    elsewhere = make_topic(author=member)
    make_post(here, author=UserFactory())
    make_post(elsewhere, author=UserFactory())
    make_post(elsewhere, author=UserFactory())
    client = client_for(member)

    assert _bell(_page(client, here.get_absolute_url())) == "2"
    assert _unread(member) == [Kind.REPLY, Kind.REPLY]
    assert set(
        Notification.objects.filter(recipient=member, read_at__isnull=True).values_list(
            "topic_id", flat=True
        )
    ) == {elsewhere.pk}
    assert _stored_bell(member) == 2


def test_only_the_posts_on_the_page_are_seen(member, settings):
    settings.AGORA_POSTS_PER_PAGE = 5
    topic = make_topic(author=member, replies=6)  # positions 1 to 7, the member's own
    reply = make_post(topic, author=UserFactory())  # position 8: page 2
    react(Post.objects.get(pk=topic.first_post_id), UserFactory())  # page 1
    assert topic.page_of_position(reply.position) == 2
    assert _unread(member) == [Kind.REACTION, Kind.REPLY]
    client = client_for(member)

    assert _bell(_page(client, topic.get_absolute_url())) == "1"
    assert _unread(member) == [Kind.REPLY]
    assert _bell(_page(client, topic.get_page_url(2))) == ""
    assert _unread(member) == []


def test_every_kind_about_a_post_is_read_by_seeing_it(member, other_member):
    recommender = grant(UserFactory(), "posts.recommend_post")
    topic = make_topic(title="Tripods")
    services.follow_topic(member, topic, following=False)
    own = make_post(topic, author=member, body="Carbon is worth it.")
    make_post(topic, author=other_member, body=f'[quote="x, post:{own.pk}"]\nCarbon\n[/quote]\nYes')
    make_post(topic, author=other_member, body=f"What do you think, @{member.username}?")
    react(own, other_member)
    recommend_post(own, by=recommender, note="")
    services.notify_moderation_outcome(
        Notification.Outcome.POST_APPROVED, recipient=member, actor=recommender, post=own
    )
    assert _unread(member) == sorted(
        [Kind.QUOTE, Kind.MENTION, Kind.REACTION, Kind.RECOMMENDED, Kind.MODERATION]
    )

    html = _page(client_for(member), topic.get_absolute_url())
    # The moderator's word is read in the notification itself, not on the topic page.
    assert _unread(member) == [Kind.MODERATION]
    assert _bell(html) == "1" and _stored_bell(member) == 1


def test_a_post_the_member_may_not_see_leaves_its_notification_unread(member):
    topic = make_topic(author=member)
    reply = make_post(topic, author=UserFactory())
    Post.objects.filter(pk=reply.pk).update(hidden=True)  # hidden after the notification

    html = _page(client_for(member), topic.get_absolute_url())
    assert f'id="post-{reply.pk}"' not in html
    assert _unread(member) == [Kind.REPLY]
    assert _bell(html) == "1"


def test_a_member_with_nothing_unread_pays_no_query(member):
    topic = make_topic(replies=3)
    client = client_for(member)
    client.get(make_topic().get_absolute_url())  # warm up: last-seen write, permissions
    first = _count_queries(client, topic.get_absolute_url())
    again = _count_queries(client, topic.get_absolute_url())
    assert len(first) == MEMBER_TOPIC_PAGE_QUERIES + READ_MARKER_WRITE
    assert len(again) == MEMBER_TOPIC_PAGE_QUERIES
    assert not any("notifications_notification" in sql for sql in first + again)


def test_unread_notifications_elsewhere_cost_no_query_on_a_topic_already_read(member):
    make_post(make_topic(author=member), author=UserFactory())  # unread, elsewhere
    topic = make_topic(replies=3)
    client = client_for(member)
    client.get(make_topic().get_absolute_url())  # warm up
    first = _count_queries(client, topic.get_absolute_url())
    again = _count_queries(client, topic.get_absolute_url())
    # The first view has no read position to ask along with: one UPDATE finds nothing.
    assert len(first) == MEMBER_TOPIC_PAGE_QUERIES + READ_MARKER_WRITE + 1
    # Afterwards the read-position query asks too (EXISTS), and nothing is written.
    assert len(again) == MEMBER_TOPIC_PAGE_QUERIES
    assert _unread(member) == [Kind.REPLY]
    assert _bell(_page(client, topic.get_absolute_url())) == "1"


def test_reading_notifications_costs_two_writes_once(member, other_member):
    topic = make_topic(author=member, replies=2)
    client = client_for(member)
    client.get(make_topic().get_absolute_url())  # warm up
    client.get(topic.get_absolute_url())  # read position: the whole topic
    react(Post.objects.get(pk=topic.first_post_id), other_member)
    assert _stored_bell(member) == 1

    queries = _count_queries(client, topic.get_absolute_url())
    assert len(queries) == MEMBER_TOPIC_PAGE_QUERIES + SEEN_NOTIFICATIONS_WRITES
    writes = [sql for sql in queries if sql.lstrip().upper().startswith("UPDATE")]
    assert len(writes) == 2
    assert 'UPDATE "notifications_notification"' in writes[0]
    assert '"unread_notifications"' in writes[1]
    assert _stored_bell(member) == 0
    assert len(_count_queries(client, topic.get_absolute_url())) == MEMBER_TOPIC_PAGE_QUERIES


@pytest.mark.django_db(transaction=True)  # the page cache's versions move on commit
def test_seen_notifications_are_read_with_the_topic_rows_kept(member, settings):
    settings.AGORA_PAGE_CACHE_SECONDS = 60
    topic = make_topic(author=member)
    client = client_for(member)
    client_for(UserFactory()).get(topic.get_absolute_url())  # the topic's rows are kept
    reply = make_post(topic, author=UserFactory())
    html = _page(client, topic.get_absolute_url())
    assert f'id="post-{reply.pk}"' in html
    assert _bell(html) == "" and _unread(member) == []
    # A guest's kept page is still kept and served, bell-less.
    assert Client().get(topic.get_absolute_url()).status_code == 200
    assert Client().get(topic.get_absolute_url())["X-Agora-Cache"] == "hit"


def test_a_reaction_after_reading_makes_it_unread_until_seen_again(member, other_member):
    topic = make_topic(author=member)
    first = Post.objects.get(pk=topic.first_post_id)
    client = client_for(member)
    react(first, other_member)
    assert _bell(_page(client, topic.get_absolute_url())) == ""
    react(first, UserFactory())  # reopens the grouped notification
    assert _bell(_page(client, "/")) == "1"
    assert _bell(_page(client, topic.get_absolute_url())) == ""
    assert _stored_bell(member) == 0
