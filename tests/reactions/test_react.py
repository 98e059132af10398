"""Reacting to posts: give, change, take back; who may; the bar on the topic page."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from forum.posts.models import Post
from forum.reactions import services
from forum.reactions.models import Reaction
from forum.threads.models import Topic
from tests.factories import ForumFactory, UserFactory, make_post, make_topic

pytestmark = pytest.mark.django_db


def _react(client, post_id: int, type_id: int, *, remove: bool = False, **extra):
    data = {"remove" if remove else "type": type_id}
    return client.post(f"/post/{post_id}/react/", data, **extra)


def _bar(html: str, post_id: int) -> str:
    """The post's reaction bar: up to its status line (page) or announcement (htmx)."""
    assert f'<div class="reactions" id="reactions-{post_id}">' in html, html
    return html.split(f'<div class="reactions" id="reactions-{post_id}">', 1)[1].split("<p ", 1)[0]


def _counts(html: str, post_id: int) -> list[str]:
    """The bar's counts as a reader sees them: "Like 1"."""
    bar = _bar(html, post_id)
    items = re.findall(r'<a class="reaction-count[^"]*"[^>]*>(.*?)</a>', bar, re.S)
    texts = []
    for item in items:
        name = re.search(r'reaction-count__name">([^<]*)<', item).group(1)
        count = re.search(r'reaction-count__n">([^<]*)<', item).group(1)
        texts.append(f"{name} {count}")
    return texts


def _reputation(user) -> int:
    return get_user_model().objects.get(pk=user.pk).reputation


def test_member_reacts_without_javascript_and_lands_on_the_post(member_client, types):
    author = UserFactory()
    topic = make_topic(author=author, replies=25)
    post = Post.objects.get(topic=topic, position=24)
    Post.objects.filter(pk=post.pk).update(author=author)
    response = _react(member_client, post.pk, types["Thumbs Up"].pk)
    assert response.status_code == 302
    assert response["Location"] == f"{topic.get_page_url(2)}#post-{post.pk}"
    html = member_client.get(topic.get_page_url(2)).content.decode()
    assert _counts(html, post.pk) == ["Thumbs Up 1"]
    assert 'reaction-count is-mine"' in _bar(html, post.pk)
    assert _reputation(author) == 1


def test_choosing_another_type_changes_the_reaction(member_client, types):
    author = UserFactory()
    post = Post.objects.get(pk=make_topic(author=author).first_post_id)
    _react(member_client, post.pk, types["Like"].pk)
    _react(member_client, post.pk, types["Confused"].pk)  # weight 0
    assert list(Reaction.objects.values_list("type__name", flat=True)) == ["Confused"]
    assert _reputation(author) == 0
    _react(member_client, post.pk, types["Thanks"].pk)
    assert Reaction.objects.get().type == types["Thanks"] and _reputation(author) == 1


def test_choosing_the_same_type_again_removes_it(member_client, types):
    author = UserFactory()
    post = Post.objects.get(pk=make_topic(author=author).first_post_id)
    _react(member_client, post.pk, types["Like"].pk)
    html = member_client.get(post.topic.get_absolute_url()).content.decode()
    # The chosen type's button is pressed, and pressing it again takes the reaction back.
    pressed = re.search(r'<button type="submit" class="react-choice is-mine" name="remove" '
                        rf'value="{types["Like"].pk}" aria-pressed="true"', html)  # fmt: skip
    assert pressed, html
    assert html.count('aria-pressed="true"') == 1
    _react(member_client, post.pk, types["Like"].pk, remove=True)
    assert not Reaction.objects.exists() and _reputation(author) == 0


def test_a_double_click_counts_once(member_client, types):
    author = UserFactory()
    post = Post.objects.get(pk=make_topic(author=author).first_post_id)
    _react(member_client, post.pk, types["Like"].pk)
    _react(member_client, post.pk, types["Like"].pk)
    assert Reaction.objects.count() == 1 and _reputation(author) == 1


def test_a_stale_remove_does_not_take_back_a_newer_reaction(member_client, types):
    author = UserFactory()
    post = Post.objects.get(pk=make_topic(author=author).first_post_id)
    _react(member_client, post.pk, types["Thanks"].pk)  # tab B, after tab A showed "Like"
    _react(member_client, post.pk, types["Like"].pk, remove=True)  # tab A
    assert Reaction.objects.get().type == types["Thanks"] and _reputation(author) == 1


def test_counts_are_most_used_first(types):
    topic = make_topic()
    post = Post.objects.get(pk=topic.first_post_id)
    for name in ["Sad", "Haha", "Haha", "Like", "Haha", "Like"]:
        services.react_to_post(post, user=UserFactory(), reaction_type=types[name])
    html = Client().get(topic.get_absolute_url()).content.decode()
    assert _counts(html, post.pk) == ["Haha 3", "Like 2", "Sad 1"]


def test_guests_see_counts_and_react_sends_them_to_sign_in(guest_client, types):
    topic = make_topic()
    post = Post.objects.get(pk=topic.first_post_id)
    services.react_to_post(post, user=UserFactory(), reaction_type=types["Sad"])
    html = guest_client.get(topic.get_absolute_url()).content.decode()
    assert _counts(html, post.pk) == ["Sad 1"]
    assert "<details" not in _bar(html, post.pk)
    assert f'href="/accounts/login/?next=/post/{post.pk}/"' in html
    response = _react(guest_client, post.pk, types["Like"].pk)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/post/{post.pk}/"
    assert Reaction.objects.count() == 1


def test_members_cannot_react_to_their_own_posts(member_client, member, types):
    topic = make_topic(author=member)
    html = member_client.get(topic.get_absolute_url()).content.decode()
    assert 'class="menu react-menu"' not in html
    assert _react(member_client, topic.first_post_id, types["Like"].pk).status_code == 403
    assert not Reaction.objects.exists()


def test_banned_members_cannot_react(member_client, member, types):
    topic = make_topic()
    get_user_model().objects.filter(pk=member.pk).update(banned_at=timezone.now())
    assert (
        'class="menu react-menu"'
        not in member_client.get(topic.get_absolute_url()).content.decode()
    )
    assert _react(member_client, topic.first_post_id, types["Like"].pk).status_code == 403
    assert not Reaction.objects.exists()


def test_hidden_posts_and_unreadable_forums_are_not_found(member_client, types):
    topic = make_topic(replies=1)
    hidden = Post.objects.get(topic=topic, position=2)
    Post.objects.filter(pk=hidden.pk).update(hidden=True)
    assert _react(member_client, hidden.pk, types["Like"].pk).status_code == 404
    staff_only = make_topic(ForumFactory(read_access="moderators"))
    assert _react(member_client, staff_only.first_post_id, types["Like"].pk).status_code == 404
    assert not Reaction.objects.exists()


def test_disabled_types_are_not_offered_but_stay_counted(member_client, types):
    author = UserFactory()
    topic = make_topic(author=author)
    post = Post.objects.get(pk=topic.first_post_id)
    html = member_client.get(topic.get_absolute_url()).content.decode()
    assert "Thumbs Down" not in html  # disabled by default
    assert _react(member_client, post.pk, types["Thumbs Down"].pk).status_code == 400
    services.react_to_post(post, user=UserFactory(), reaction_type=types["Like"])
    types["Like"].enabled = False
    types["Like"].save()
    html = member_client.get(topic.get_absolute_url()).content.decode()
    assert _counts(html, post.pk) == ["Like 1"]
    assert f'name="type" value="{types["Like"].pk}"' not in html
    assert _reputation(author) == 1


def test_a_reaction_of_a_disabled_type_can_be_taken_back(member_client, types):
    post = Post.objects.get(pk=make_topic().first_post_id)
    _react(member_client, post.pk, types["Like"].pk)
    types["Like"].enabled = False
    types["Like"].save()
    _react(member_client, post.pk, types["Like"].pk, remove=True)
    assert not Reaction.objects.exists()


@pytest.mark.parametrize(
    "data",
    [{}, {"type": "abc"}, {"type": "999999"}, {"type": "1", "remove": "1"}, {"remove": "999999"}],
)
def test_bad_requests_change_nothing(member_client, types, data):
    post = Post.objects.get(pk=make_topic().first_post_id)
    assert member_client.post(f"/post/{post.pk}/react/", data).status_code == 400
    assert not Reaction.objects.exists()


def test_reacting_needs_post_and_csrf(member, types):
    post = Post.objects.get(pk=make_topic().first_post_id)
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.get(f"/post/{post.pk}/react/").status_code == 405
    assert _react(client, post.pk, types["Like"].pk).status_code == 403
    assert not Reaction.objects.exists()


def test_htmx_gets_the_new_bar_and_an_announcement(member_client, types):
    topic = make_topic()
    post = Post.objects.get(pk=topic.first_post_id)
    response = _react(member_client, post.pk, types["Thumbs Up"].pk, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<div class="reactions" id="reactions-{post.pk}">')
    assert _counts(html, post.pk) == ["Thumbs Up 1"]
    assert f'name="remove" value="{types["Thumbs Up"].pk}" aria-pressed="true"' in html
    assert (
        f'<p id="reactions-status-{post.pk}" hx-swap-oob="innerHTML">Your reaction: Thumbs Up.</p>'
        in html
    )
    # The swap replaces the bar only: the status region and the popover stay in the page.
    assert 'role="status"' not in html and "reactors-popover" not in html
    html = _react(
        member_client, post.pk, types["Thumbs Up"].pk, remove=True, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert _counts(html, post.pk) == [] and "You have no reaction to this post." in html


def test_htmx_updates_the_authors_reputation_on_every_post_of_theirs(member_client, types):
    topic = make_topic()
    author = topic.author
    make_post(topic, author=author, body="A second post by the same author.")
    page = member_client.get(topic.get_absolute_url()).content.decode()
    assert page.count(f'<dd class="reputation-of-{author.pk}">0</dd>') == 2
    html = _react(
        member_client, topic.first_post_id, types["Like"].pk, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert f'<span hx-swap-oob="innerHTML:.reputation-of-{author.pk}">1</span>' in html
    html = _react(
        member_client, topic.first_post_id, types["Like"].pk, remove=True, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert f'<span hx-swap-oob="innerHTML:.reputation-of-{author.pk}">0</span>' in html


def test_the_topic_page_has_a_live_region_per_post(member_client, types):
    topic = make_topic()
    html = member_client.get(topic.get_absolute_url()).content.decode()
    assert (
        f'<p class="visually-hidden" role="status" id="reactions-status-{topic.first_post_id}">'
        in html
    )
    assert f'hx-post="/post/{topic.first_post_id}/react/"' in html
    assert f'hx-target="#reactions-{topic.first_post_id}"' in html


def test_reputation_shows_in_the_author_panel_and_on_the_profile(guest_client, types):
    author = UserFactory()
    topic = make_topic(author=author)
    post = Post.objects.get(pk=topic.first_post_id)
    for name in ["Like", "Thanks", "Sad"]:
        services.react_to_post(post, user=UserFactory(), reaction_type=types[name])
    html = guest_client.get(topic.get_absolute_url()).content.decode()
    assert f'Reputation</dt><dd class="reputation-of-{author.pk}">2</dd>' in html
    assert (
        "Reputation</dt><dd>2</dd>" in guest_client.get(author.get_absolute_url()).content.decode()
    )


def test_the_locked_topic_still_takes_reactions(member_client, types):
    topic = make_topic()
    Topic.objects.filter(pk=topic.pk).update(locked=True)
    assert _react(member_client, topic.first_post_id, types["Like"].pk).status_code == 302
    assert Reaction.objects.count() == 1


def test_reactions_of_other_posts_do_not_mix(member_client, types):
    topic = make_topic()
    first = Post.objects.get(pk=topic.first_post_id)
    second = make_post(topic)
    services.react_to_post(first, user=UserFactory(), reaction_type=types["Like"])
    services.react_to_post(second, user=UserFactory(), reaction_type=types["Sad"])
    _react(member_client, second.pk, types["Sad"].pk)
    html = member_client.get(topic.get_absolute_url()).content.decode()
    assert _counts(html, first.pk) == ["Like 1"]
    assert _counts(html, second.pk) == ["Sad 2"]


def test_a_signed_out_htmx_request_sends_the_page_to_sign_in(guest_client, types):
    post_id = make_topic().first_post_id
    response = _react(guest_client, post_id, types["Like"].pk, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == f"/accounts/login/?next=/post/{post_id}/"
    response = guest_client.post(f"/post/{post_id}/quote/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == f"/accounts/login/?next=/post/{post_id}/"
    assert not Reaction.objects.exists()
