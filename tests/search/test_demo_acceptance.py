"""The issue's acceptance checks, on the demo forum (SQLite or PostgreSQL)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client

from forum.posts.models import Post
from forum.posts.services import reply_to_topic
from forum.search.models import SearchDocument
from forum.threads.models import Topic
from tests.search.test_search import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Topic.objects.order_by("-last_position").first()


def _page_three_post(topic: Topic) -> Post:
    """A post on page 3 of ``topic`` whose words appear in few enough posts to fit on
    one page of results (a quoted post's words are repeated in the posts quoting it)."""
    posts = Post.objects.filter(topic=topic, position__gt=40, position__lte=60).select_related(
        "search_document"
    )
    for post in posts:
        if SearchDocument.objects.filter(text=post.search_document.text).count() <= 10:
            return post
    raise AssertionError("no page-3 post with a rare text")


def _result(html: str, post: Post) -> str:
    match = re.search(rf'<li class="search-result[^"]*">(?:(?!</li>).)*?/post/{post.pk}/.*?</li>',
                      html, re.S)  # fmt: skip
    return match.group(0) if match else ""


def test_a_phrase_from_page_three_of_the_long_topic_finds_its_post(demo, guest_client):
    post = _page_three_post(demo)
    assert demo.page_of_position(post.position) == 3
    words = post.search_document.text.rstrip(".!?").split()
    phrase = " ".join(words[-3:])
    html = search(guest_client, f'"{phrase}"').content.decode()
    result = _result(html, post)
    assert result, (phrase, html)
    assert f'<a href="/post/{post.pk}/">' in result
    last_word = re.escape(words[-1])
    assert re.search(rf"<mark>[^<]*{last_word}[^<]*</mark>", result)
    response = guest_client.get(f"/post/{post.pk}/")
    assert response["Location"] == f"{demo.get_page_url(3)}#post-{post.pk}"


def test_a_hidden_posts_words_find_it_only_for_a_moderator(demo):
    author = demo.author
    post = reply_to_topic(demo, author=author, body="Sanded the walnut with a quokka grit.")
    Post.objects.filter(pk=post.pk).update(hidden=True)
    member, moderator = Client(), Client()
    member.force_login(author)
    mod_user = get_user_model().objects.get(username="marta_k")
    mod_user.user_permissions.add(Permission.objects.get(codename="hide_post"))
    moderator.force_login(mod_user)
    for q in ("quokka", '"quokka grit"'):
        assert "search-result" not in search(member, q).content.decode().split("</form>", 1)[1]
        html = search(moderator, q).content.decode()
        assert _result(html, post) and "badge--hidden" in _result(html, post)
