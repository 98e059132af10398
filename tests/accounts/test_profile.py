"""Member profiles."""

from __future__ import annotations

import pytest

from forum.posts.models import Post
from tests.factories import ForumFactory, UserFactory, make_topic

pytestmark = pytest.mark.django_db


def test_profile_shows_the_member_and_their_posts(guest_client):
    member = UserFactory(username="gardengnome42", title="Green Thumb")
    make_topic(author=member, title="Tomato leaves curling", body="Help with *tomatoes*")
    response = guest_client.get(member.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "gardengnome42" in html and "Green Thumb" in html
    assert "Tomato leaves curling" in html and "<em>tomatoes</em>" in html


def test_profile_hides_what_the_viewer_may_not_see(guest_client, member_client):
    member = UserFactory()
    make_topic(ForumFactory(read_access="members"), author=member, title="Back room talk")
    topic = make_topic(author=member, title="Public talk", replies=1)
    Post.objects.filter(topic=topic, position=2).update(hidden=True)
    guest_html = guest_client.get(member.get_absolute_url()).content.decode()
    assert "Public talk" in guest_html and "Back room talk" not in guest_html
    assert "Reply number 1." not in guest_html
    assert "Back room talk" in member_client.get(member.get_absolute_url()).content.decode()


def test_profile_slug_redirects(guest_client):
    member = UserFactory(username="ruth_ellis")
    response = guest_client.get(f"/profile/{member.pk}-someone/")
    assert response.status_code == 301
    assert response["Location"] == f"/profile/{member.pk}-ruth_ellis/"


def test_profile_query_count_is_constant(guest_client, django_assert_num_queries):
    member = UserFactory()
    make_topic(author=member)
    with django_assert_num_queries(3):  # member, count, one page of posts with topics
        guest_client.get(member.get_absolute_url())
    make_topic(author=member, replies=8)
    with django_assert_num_queries(3):
        guest_client.get(member.get_absolute_url())
