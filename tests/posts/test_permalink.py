"""/post/<id>/ sends readers to the page of the topic holding the post."""

from __future__ import annotations

import pytest

from forum.posts.models import Post
from tests.factories import ForumFactory, make_topic

pytestmark = pytest.mark.django_db


def test_permalink_redirects_to_the_right_page_and_anchor(guest_client):
    topic = make_topic(replies=45)
    for position, page_path in [(1, ""), (20, ""), (21, "page/2/"), (46, "page/3/")]:
        post = Post.objects.get(topic=topic, position=position)
        response = guest_client.get(f"/post/{post.pk}/")
        assert response.status_code == 302
        assert response["Location"] == f"/topic/{topic.pk}-{topic.slug}/{page_path}#post-{post.pk}"


def test_permalink_of_a_hidden_post_is_not_found(guest_client):
    topic = make_topic(replies=1)
    post = Post.objects.get(topic=topic, position=2)
    Post.objects.filter(pk=post.pk).update(hidden=True)
    assert guest_client.get(f"/post/{post.pk}/").status_code == 404


def test_permalink_into_a_members_only_forum(guest_client, member_client):
    topic = make_topic(ForumFactory(read_access="members"))
    assert guest_client.get(f"/post/{topic.first_post_id}/").status_code == 404
    assert member_client.get(f"/post/{topic.first_post_id}/").status_code == 302


def test_unknown_post_is_not_found(guest_client, db):
    assert guest_client.get("/post/424242/").status_code == 404
