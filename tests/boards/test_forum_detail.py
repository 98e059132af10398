"""A forum's topic list: order, counts, pagination, permissions and query budget."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from forum.threads.models import Topic
from tests.factories import ForumFactory, UserFactory, make_post, make_topic

pytestmark = pytest.mark.django_db


def _titles(html: str) -> list[str]:
    return [chunk.split("</a>", 1)[0].rsplit(">", 1)[1].strip()
            for chunk in html.split('class="topic-row__title"')[1:]]  # fmt: skip


def test_pinned_first_then_by_last_activity(guest_client, forum):
    now = timezone.now()
    old = make_topic(forum, title="Old but pinned", created_at=now - timedelta(days=9))
    Topic.objects.filter(pk=old.pk).update(pinned=True)
    make_topic(forum, title="Quiet topic", created_at=now - timedelta(days=5))
    busy = make_topic(forum, title="Busy topic", created_at=now - timedelta(days=7))
    make_post(busy)  # the newest activity
    html = guest_client.get(forum.get_absolute_url()).content.decode()
    assert _titles(html) == ["Old but pinned", "Busy topic", "Quiet topic"]
    assert "Pinned" in html


def test_topic_row_shows_replies_views_starter_and_last_poster(guest_client, forum):
    starter = UserFactory(username="lena.builds")
    topic = make_topic(forum, author=starter, title="Show us your workspace")
    make_post(topic, author=UserFactory(username="ottilie"))
    make_post(topic, author=UserFactory(username="dieter"))
    html = guest_client.get(forum.get_absolute_url()).content.decode()
    row = html.split("Show us your workspace", 1)[1].split("</li>", 1)[0]
    assert "<strong>2</strong> replies" in row
    assert "<strong>0</strong> views" in row
    assert "dieter" in row  # last poster
    assert "By lena.builds" in html


def test_topic_list_is_paginated(guest_client, forum, settings):
    settings.AGORA_TOPICS_PER_PAGE = 5
    author = UserFactory()
    for n in range(12):
        make_topic(forum, author=author, title=f"Topic number {n:02d}")
    first = guest_client.get(forum.get_absolute_url()).content.decode()
    assert len(_titles(first)) == 5 and "Page 1 of 3" in first
    third = guest_client.get(forum.get_absolute_url() + "?page=3").content.decode()
    assert len(_titles(third)) == 2
    assert guest_client.get(forum.get_absolute_url() + "?page=4").status_code == 404


def test_wrong_slug_redirects(guest_client):
    forum = ForumFactory(slug="gear-talk")
    response = guest_client.get(f"/forum/{forum.pk}-gear/")
    assert response.status_code == 301 and response["Location"] == f"/forum/{forum.pk}-gear-talk/"


def test_hidden_topics_are_not_listed(guest_client, forum):
    make_topic(forum, title="Visible topic")
    hidden = make_topic(forum, title="Spam topic")
    Topic.objects.filter(pk=hidden.pk).update(hidden=True)
    html = guest_client.get(forum.get_absolute_url()).content.decode()
    assert "Visible topic" in html and "Spam topic" not in html


def test_members_only_forum_is_not_found_for_guests(guest_client, member_client):
    forum = ForumFactory(read_access="members")
    assert guest_client.get(forum.get_absolute_url()).status_code == 404
    assert member_client.get(forum.get_absolute_url()).status_code == 200


def test_start_topic_button_for_members_and_sign_in_for_guests(guest_client, member_client, forum):
    new_url = f"/forum/{forum.pk}-{forum.slug}/new/"
    assert f'href="{new_url}"' in member_client.get(forum.get_absolute_url()).content.decode()
    guest_html = guest_client.get(forum.get_absolute_url()).content.decode()
    assert "Sign in to start a topic" in guest_html


def test_topic_list_query_count_does_not_grow_with_topics(guest_client, forum,
                                                          django_assert_num_queries):  # fmt: skip
    make_topic(forum)
    with django_assert_num_queries(2):  # the forum; one page of topics with their people
        guest_client.get(forum.get_absolute_url())
    for _ in range(15):
        topic = make_topic(forum, author=UserFactory())
        make_post(topic, author=UserFactory())
    with django_assert_num_queries(2):
        guest_client.get(forum.get_absolute_url())
