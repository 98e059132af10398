"""Recommended Posts: moderators (a permission) recommend a reply with a note, the block
above the replies on every page, the badge, hidden posts, the admin."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client

from forum.notifications.models import Kind, Notification
from forum.posts import services
from forum.posts.models import Post, RecommendedPost
from tests.factories import UserFactory, make_post, make_topic
from tests.threads.test_topic_page import (
    GUEST_TOPIC_PAGE_QUERIES,
    MEMBER_TOPIC_PAGE_QUERIES,
    _count_queries,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def recommender(db):
    user = UserFactory(username="mod_marta")
    user.user_permissions.add(Permission.objects.get(codename="recommend_post"))
    return user


@pytest.fixture
def recommender_client(recommender) -> Client:
    client = Client()
    client.force_login(recommender)
    return client


def _block(html: str) -> str:
    if 'class="box recommended"' not in html:
        return ""
    return html.split('class="box recommended"', 1)[1].split("</section>", 1)[0]


def _topic_with_pages():
    topic = make_topic(replies=settings.AGORA_POSTS_PER_PAGE + 5, title="Workbenches")
    return topic, Post.objects.get(topic=topic, position=settings.AGORA_POSTS_PER_PAGE + 3)


def test_a_moderator_recommends_a_reply_with_a_note(recommender_client, recommender):
    topic, post = _topic_with_pages()
    page = recommender_client.get(topic.get_page_url(2)).content.decode()
    assert f'action="/post/{post.pk}/recommend/"' in page
    response = recommender_client.post(f"/post/{post.pk}/recommend/", {"note": "Must read"})
    assert response.status_code == 302
    assert response["Location"] == f"{topic.get_page_url(2)}#post-{post.pk}"
    recommendation = RecommendedPost.objects.get(post=post)
    assert recommendation.note == "Must read" and recommendation.recommended_by == recommender
    notification = Notification.objects.get(kind=Kind.RECOMMENDED)
    assert notification.recipient_id == post.author_id


def test_the_block_is_on_every_page_with_author_time_excerpt_and_link(guest_client, recommender):
    topic, post = _topic_with_pages()
    Post.objects.filter(pk=post.pk).update(
        body_html='<blockquote class="quote"><p>quoted words</p></blockquote>'
        "<p>Beech, <em>oiled</em>.</p>"
    )
    services.recommend_post(post, by=recommender, note="Great tip")
    for url in (topic.get_absolute_url(), topic.get_page_url(2)):
        block = _block(guest_client.get(url).content.decode())
        assert "Recommended Posts" in block
        assert f'href="{post.author.get_absolute_url()}">{post.author.username}</a>' in block
        assert re.search(r"Posted <time datetime=", block)
        assert "Beech, oiled." in block and "quoted words" not in block
        assert f'href="/post/{post.pk}/"' in block
        assert "mod_marta: “Great tip”" in block


def test_the_recommended_post_carries_a_badge_in_the_stream(guest_client, recommender):
    topic, post = _topic_with_pages()
    services.recommend_post(post, by=recommender)
    html = guest_client.get(topic.get_page_url(2)).content.decode()
    article = html.split(f'id="post-{post.pk}"', 1)[1].split("</article>", 1)[0]
    assert '<span class="badge badge--recommended">Recommended</span>' in article
    assert html.count("badge--recommended") == 1


def test_no_block_without_recommendations(guest_client):
    topic = make_topic(replies=2)
    assert _block(guest_client.get(topic.get_absolute_url()).content.decode()) == ""


def test_hidden_posts_drop_out_and_the_block_keeps_its_limit(guest_client, recommender, settings):
    settings.AGORA_RECOMMENDED_POSTS_MAX = 3
    topic = make_topic(replies=6)
    posts = list(Post.objects.filter(topic=topic, position__gt=1).order_by("position"))
    for post in posts[:5]:
        services.recommend_post(post, by=recommender)
    Post.objects.filter(pk=posts[0].pk).update(hidden=True)
    block = _block(guest_client.get(topic.get_absolute_url()).content.decode())
    assert block.count('class="recommended__item"') == 3
    assert f'href="/post/{posts[0].pk}/"' not in block
    assert [f'href="/post/{p.pk}/"' in block for p in posts[1:5]] == [True, True, True, False]


def test_unrecommend_from_the_topic_page(recommender_client, recommender):
    topic, post = _topic_with_pages()
    services.recommend_post(post, by=recommender)
    page = recommender_client.get(topic.get_page_url(2)).content.decode()
    assert f'action="/post/{post.pk}/unrecommend/"' in page
    response = recommender_client.post(f"/post/{post.pk}/unrecommend/")
    assert response.status_code == 302
    assert not RecommendedPost.objects.exists()


def test_recommending_again_changes_the_note_and_notifies_once(recommender):
    topic, post = _topic_with_pages()
    services.recommend_post(post, by=recommender, note="one")
    services.recommend_post(post, by=recommender, note="two")
    assert RecommendedPost.objects.get(post=post).note == "two"
    services.unrecommend_post(post)
    services.recommend_post(post, by=recommender)
    assert Notification.objects.filter(kind=Kind.RECOMMENDED).count() == 1


def test_the_form_page_works_without_javascript(recommender_client):
    topic, post = _topic_with_pages()
    html = recommender_client.get(f"/post/{post.pk}/recommend/").content.decode()
    assert 'name="note"' in html and "Recommend this post" in html
    long_note = recommender_client.post(f"/post/{post.pk}/recommend/", {"note": "x" * 301})
    assert long_note.status_code == 400


def test_members_guests_and_staff_without_the_permission_cannot(guest_client, member_client):
    topic, post = _topic_with_pages()
    html = member_client.get(topic.get_page_url(2)).content.decode()
    assert "/recommend/" not in html
    assert member_client.post(f"/post/{post.pk}/recommend/").status_code == 403
    assert member_client.post(f"/post/{post.pk}/unrecommend/").status_code == 403
    staff = UserFactory(is_staff=True)
    client = Client()
    client.force_login(staff)
    assert client.post(f"/post/{post.pk}/recommend/").status_code == 403
    response = guest_client.post(f"/post/{post.pk}/recommend/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not RecommendedPost.objects.exists()


def test_the_first_post_and_hidden_posts_cannot_be_recommended(recommender_client):
    topic = make_topic(replies=1)
    first = Post.objects.get(pk=topic.first_post_id)
    assert recommender_client.post(f"/post/{first.pk}/recommend/").status_code == 403
    hidden = make_post(topic)
    Post.objects.filter(pk=hidden.pk).update(hidden=True)
    assert recommender_client.post(f"/post/{hidden.pk}/recommend/").status_code == 404


def test_the_block_costs_one_query_whatever_it_holds(guest_client, member_client, recommender):
    quiet = make_topic(replies=1)
    busy = make_topic(replies=19)
    for post in Post.objects.filter(topic=busy, position__gt=1)[:5]:
        services.recommend_post(post, by=recommender)
    services.recommend_post(Post.objects.get(topic=quiet, position=2), by=recommender)
    for client, budget in [
        (guest_client, GUEST_TOPIC_PAGE_QUERIES),
        (member_client, MEMBER_TOPIC_PAGE_QUERIES),
    ]:
        for topic in (quiet, busy):
            client.get(topic.get_absolute_url())  # warm up
        assert len(_count_queries(client, quiet.get_absolute_url())) == budget
        assert len(_count_queries(client, busy.get_absolute_url())) == budget


def test_recommend_and_remove_from_the_admin(recommender):
    topic, post = _topic_with_pages()
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    response = client.post(
        "/admin/posts/recommendedpost/add/", {"post": post.pk, "note": "From the admin"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    recommendation = RecommendedPost.objects.get(post=post)
    assert recommendation.recommended_by == admin and recommendation.note == "From the admin"
    assert Notification.objects.filter(kind=Kind.RECOMMENDED, recipient=post.author).exists()
    first = Post.objects.get(pk=topic.first_post_id)
    refused = client.post("/admin/posts/recommendedpost/add/", {"post": first.pk})
    assert refused.status_code == 200 and "can be recommended" in refused.content.decode()
    response = client.post(f"/admin/posts/recommendedpost/{post.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not RecommendedPost.objects.exists()
    member_admin = Client()
    member_admin.force_login(UserFactory(is_staff=True))
    assert member_admin.get("/admin/posts/recommendedpost/").status_code == 403
