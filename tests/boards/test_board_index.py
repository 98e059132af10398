"""The board index: categories, forums, counts and each forum's latest post."""

from __future__ import annotations

import pytest

from tests.factories import CategoryFactory, ForumFactory, UserFactory, make_topic

pytestmark = pytest.mark.django_db


def test_board_index_lists_categories_and_forums_in_order(guest_client):
    second = CategoryFactory(name="Second", position=2)
    first = CategoryFactory(name="First", position=1)
    ForumFactory(category=second, name="Zebra forum", position=1)
    ForumFactory(category=first, name="Beta forum", position=2)
    ForumFactory(category=first, name="Alpha forum", position=1, description="Start here.")
    html = guest_client.get("/").content.decode()
    order = [html.index(n) for n in ["First", "Alpha forum", "Beta forum", "Second", "Zebra forum"]]
    assert order == sorted(order)
    assert "Start here." in html


def test_forum_row_shows_counts_and_latest_post(guest_client):
    forum = ForumFactory(name="Gear Talk")
    poster = UserFactory(username="tomasz_w")
    make_topic(forum, title="Best first lens?", replies=2)
    make_topic(forum, title="Tripods for the night sky", author=poster)
    html = guest_client.get("/").content.decode()
    row = html.split("Gear Talk", 1)[1].split("</li>", 1)[0]
    assert "<strong>2</strong> topics" in row
    assert "<strong>4</strong> posts" in row
    assert "Tripods for the night sky" in row and "By tomasz_w" in row
    assert "<time" in row


def test_one_topic_is_singular(guest_client):
    make_topic(ForumFactory(name="Quiet corner"))
    row = guest_client.get("/").content.decode().split("Quiet corner", 1)[1]
    assert "<strong>1</strong> topic<" in row and "<strong>1</strong> post<" in row


def test_guests_do_not_see_members_only_forums(guest_client, member_client):
    ForumFactory(name="Open forum")
    ForumFactory(name="Back room", read_access="members")
    ForumFactory(name="Mod room", read_access="moderators")
    guest_html = guest_client.get("/").content.decode()
    member_html = member_client.get("/").content.decode()
    assert "Open forum" in guest_html and "Back room" not in guest_html
    assert "Back room" in member_html
    assert "Mod room" not in guest_html and "Mod room" not in member_html


def test_board_index_query_count_does_not_grow_with_forums(guest_client, django_assert_num_queries):
    ForumFactory()
    with django_assert_num_queries(1):
        guest_client.get("/")
    for _ in range(3):
        category = CategoryFactory()
        for _ in range(4):
            make_topic(ForumFactory(category=category))
    with django_assert_num_queries(1):
        response = guest_client.get("/")
    assert response.content.decode().count('class="forum-row"') == 13
