"""Authors edit their own posts; the post re-renders and says it was edited."""

from __future__ import annotations

import re

import pytest

from forum.posts.models import Post, PostRevision
from tests.factories import make_topic

pytestmark = pytest.mark.django_db


def test_author_edits_a_post(member_client, member):
    topic = make_topic(author=member, replies=1)
    post = Post.objects.get(topic=topic, position=2)
    url = f"/post/{post.pk}/edit/"
    form = member_client.get(url).content.decode()
    assert "Reply number 1." in form and 'name="title"' not in form
    response = member_client.post(url, {"body": "Now with **bold**."})
    assert response.status_code == 302 and response["Location"].endswith(f"#post-{post.pk}")
    post.refresh_from_db()
    assert post.body_html == "<p>Now with <strong>bold</strong>.</p>"
    assert post.edited_by == member and post.edit_count == 1
    assert PostRevision.objects.get(post=post).body == "Reply number 1."
    html = member_client.get(topic.get_absolute_url()).content.decode()
    assert re.search(r"Edited <time[^>]*>just now</time>", html)


def test_first_post_edit_renames_the_topic(member_client, member):
    topic = make_topic(author=member, title="Typo in titel")
    url = f"/post/{topic.first_post_id}/edit/"
    assert 'name="title"' in member_client.get(url).content.decode()
    member_client.post(url, {"title": "Typo in title", "body": "The first post."})
    topic.refresh_from_db()
    assert topic.title == "Typo in title" and topic.slug == "typo-in-title"


def test_failed_edit_keeps_the_text(member_client, member):
    topic = make_topic(author=member)
    url = f"/post/{topic.first_post_id}/edit/"
    response = member_client.post(url, {"title": "ok title", "body": "  "})
    assert response.status_code == 400
    assert "Your post is empty" in response.content.decode()
    assert 'value="ok title"' in response.content.decode()


def test_another_member_cannot_edit(member_client):
    topic = make_topic()
    url = f"/post/{topic.first_post_id}/edit/"
    assert member_client.get(url).status_code == 403
    assert member_client.post(url, {"title": "Mine now", "body": "hijacked"}).status_code == 403
    assert Post.objects.get(pk=topic.first_post_id).body == "The first post."


def test_guest_is_sent_to_sign_in(guest_client):
    topic = make_topic()
    response = guest_client.post(f"/post/{topic.first_post_id}/edit/", {"body": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Post.objects.get(pk=topic.first_post_id).body == "The first post."


def test_edit_link_only_on_own_posts(member_client, member):
    mine = make_topic(author=member)
    theirs = make_topic()
    assert (
        f"/post/{mine.first_post_id}/edit/"
        in member_client.get(mine.get_absolute_url()).content.decode()
    )
    assert "/edit/" not in member_client.get(theirs.get_absolute_url()).content.decode()
