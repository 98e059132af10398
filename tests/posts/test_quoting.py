"""Quoting on the topic page: Quote, multi-quote, the prefilled reply form, quote edges."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from forum.posts import services
from forum.posts.models import Post, QuoteEdge
from forum.threads.models import Topic
from tests.factories import ForumFactory, UserFactory, make_post, make_topic
from tests.threads.test_topic_page import (
    GUEST_TOPIC_PAGE_QUERIES,
    MEMBER_TOPIC_PAGE_QUERIES,
    QUOTED_POSTS_QUERIES,
    READ_MARKER_WRITE,
    _count_queries,
)

pytestmark = pytest.mark.django_db


def _reply_url(topic: Topic) -> str:
    return f"/topic/{topic.pk}-{topic.slug}/reply/"


def _quote(post: Post) -> str:
    return f'[quote="{post.author.username}, post:{post.pk}"]\n{post.body}\n[/quote]\n'


def _textarea(html: str) -> str:
    found = re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S)
    assert found, html
    return found.group(1).replace("&quot;", '"').strip()


def _ban(user) -> None:
    get_user_model().objects.filter(pk=user.pk).update(banned_at=timezone.now())


# --- The Quote button ------------------------------------------------------------------


def test_members_get_quote_and_multi_quote_buttons(member_client):
    topic = make_topic()
    html = member_client.get(topic.get_absolute_url()).content.decode()
    post_id = topic.first_post_id
    assert f'action="{_reply_url(topic)}"' in html
    assert f'name="quote" value="{post_id}"' in html
    assert f'data-quote-text="/topic/{topic.pk}-{topic.slug}/quote/?quote={post_id}"' in html
    assert f'action="/post/{post_id}/quote/"' in html and 'aria-pressed="false"' in html


def test_guests_and_locked_topics_get_no_quote_buttons(guest_client, member_client):
    topic = make_topic()
    assert 'class="quote-action"' not in guest_client.get(topic.get_absolute_url()).content.decode()
    Topic.objects.filter(pk=topic.pk).update(locked=True)
    html = member_client.get(topic.get_absolute_url()).content.decode()
    assert 'class="quote-action"' not in html and "multiquote-bar" not in html


def test_reply_form_starts_with_the_quote_without_javascript(member_client):
    topic = make_topic(body="Fog over the **river**.")
    first = Post.objects.get(pk=topic.first_post_id)
    response = member_client.get(f"{_reply_url(topic)}?quote={first.pk}")
    assert response.status_code == 200
    assert _textarea(response.content.decode()) == _quote(first).strip()


def test_reply_form_quotes_several_posts_oldest_first(member_client):
    topic = make_topic(replies=3)
    second, fourth = (Post.objects.get(topic=topic, position=n) for n in (2, 4))
    response = member_client.get(f"{_reply_url(topic)}?quote={fourth.pk}&quote={second.pk}")
    assert _textarea(response.content.decode()) == f"{_quote(second)}\n{_quote(fourth)}".strip()


def test_reply_form_leaves_out_posts_the_member_may_not_see(member_client):
    topic = make_topic(replies=1)
    hidden = Post.objects.get(topic=topic, position=2)
    Post.objects.filter(pk=hidden.pk).update(hidden=True)
    staff_only = make_topic(ForumFactory(read_access="moderators"))
    url = f"{_reply_url(topic)}?quote={hidden.pk}&quote={staff_only.first_post_id}&quote=x&quote=0"
    response = member_client.get(url)
    assert response.status_code == 200
    assert _textarea(response.content.decode()) == ""


def test_guest_asking_for_a_quoted_reply_form_is_sent_to_sign_in(guest_client):
    topic = make_topic()
    response = guest_client.get(f"{_reply_url(topic)}?quote={topic.first_post_id}")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_quote_text_for_the_editor(member_client, guest_client):
    topic = make_topic(replies=1)
    first = Post.objects.get(pk=topic.first_post_id)
    url = f"/topic/{topic.pk}-{topic.slug}/quote/?quote={first.pk}"
    response = member_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == _quote(first)
    assert guest_client.get(url).status_code == 302
    Topic.objects.filter(pk=topic.pk).update(locked=True)
    assert member_client.get(url).status_code == 403


def test_quote_text_of_a_topic_the_member_cannot_see_is_not_found(member_client):
    topic = make_topic(ForumFactory(read_access="moderators"))
    url = f"/topic/{topic.pk}-{topic.slug}/quote/?quote={topic.first_post_id}"
    assert member_client.get(url).status_code == 404


def test_get_on_a_posts_quote_url_opens_the_reply_form(member_client):
    topic = make_topic()
    response = member_client.get(f"/post/{topic.first_post_id}/quote/")
    assert response.status_code == 302
    assert response["Location"] == f"{_reply_url(topic)}?quote={topic.first_post_id}#reply"


# --- Multi-quote ---------------------------------------------------------------------


def _toggle(client, post: Post | int, **extra):
    pk = post if isinstance(post, int) else post.pk
    return client.post(f"/post/{pk}/quote/", **extra)


def test_multi_quote_marks_posts_across_pages_and_quotes_them_all(member_client):
    topic = make_topic(replies=25)  # two pages
    on_page_one = Post.objects.get(topic=topic, position=3)
    on_page_two = Post.objects.get(topic=topic, position=24)

    response = _toggle(member_client, on_page_one)
    assert response.status_code == 302
    assert response["Location"] == f"{topic.get_absolute_url()}#post-{on_page_one.pk}"
    _toggle(member_client, on_page_two)

    page_two = member_client.get(topic.get_page_url(2)).content.decode()
    assert "Quote selected (2)" in page_two
    toggle = page_two.split(f'id="multiquote-{on_page_two.pk}"', 1)[1].split("</form>", 1)[0]
    assert 'aria-pressed="true"' in toggle

    response = member_client.post(f"/topic/{topic.pk}-{topic.slug}/multiquote/")
    assert response.status_code == 302
    location = response["Location"]
    assert location == (f"{_reply_url(topic)}?quote={on_page_one.pk}&quote={on_page_two.pk}#reply")
    form = member_client.get(location.split("#")[0]).content.decode()
    assert _textarea(form) == f"{_quote(on_page_one)}\n{_quote(on_page_two)}".strip()
    # Taken: the marks are cleared.
    html = member_client.get(topic.get_absolute_url()).content.decode()
    assert "Quote selected (0)" in html and 'id="multiquote-bar"' in html
    assert re.search(r'<form class="multiquote-bar"[^>]* hidden>', html)


def test_multi_quote_toggles_off_again(member_client):
    topic = make_topic()
    _toggle(member_client, topic.first_post_id)
    _toggle(member_client, topic.first_post_id)
    html = member_client.get(topic.get_absolute_url()).content.decode()
    assert 'aria-pressed="true"' not in html


def test_multi_quote_with_htmx_swaps_the_button_and_the_bar(member_client):
    topic = make_topic()
    response = _toggle(member_client, topic.first_post_id, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(
        f'<form class="multiquote-toggle" id="multiquote-{topic.first_post_id}"'
    )
    assert 'aria-pressed="true"' in html
    assert 'id="multiquote-bar"' in html and 'hx-swap-oob="true"' in html
    assert "Quote selected (1)" in html


def test_taking_the_marks_with_htmx_returns_the_quotes_as_text(member_client):
    topic = make_topic(replies=1)
    first, second = Post.objects.filter(topic=topic).order_by("position")
    _toggle(member_client, second)
    _toggle(member_client, first)
    response = member_client.post(
        f"/topic/{topic.pk}-{topic.slug}/multiquote/", HTTP_HX_REQUEST="true"
    )
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == f"{_quote(first)}\n{_quote(second)}"


def test_multi_quote_is_for_members_who_may_reply(guest_client, member_client, member):
    topic = make_topic()
    response = _toggle(guest_client, topic.first_post_id)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    take = f"/topic/{topic.pk}-{topic.slug}/multiquote/"
    assert guest_client.post(take).status_code == 302
    _ban(member)
    assert _toggle(member_client, topic.first_post_id).status_code == 403
    assert member_client.post(take).status_code == 403


def test_multi_quote_of_a_hidden_post_is_not_found(member_client):
    topic = make_topic(replies=1)
    hidden = Post.objects.get(topic=topic, position=2)
    Post.objects.filter(pk=hidden.pk).update(hidden=True)
    assert _toggle(member_client, hidden).status_code == 404


def test_multi_quote_needs_csrf(member):
    topic = make_topic()
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.post(f"/post/{topic.first_post_id}/quote/").status_code == 403
    assert client.post(f"/topic/{topic.pk}-{topic.slug}/multiquote/").status_code == 403


def test_multi_quote_is_get_safe(member_client):
    topic = make_topic()
    assert member_client.get(f"/topic/{topic.pk}-{topic.slug}/multiquote/").status_code == 405


# --- Replying with quotes: the page and the quote edges ---------------------------------


def test_a_quoting_reply_shows_the_header_and_links_back(member_client):
    author = UserFactory(username="spidermike007")
    topic = make_topic(author=author, created_at=timezone.now() - timedelta(minutes=8))
    first = Post.objects.get(pk=topic.first_post_id)
    response = member_client.post(_reply_url(topic), {"body": _quote(first) + "\nI agree."})
    assert response.status_code == 302
    html = member_client.get(topic.get_absolute_url()).content.decode()
    header = re.search(r'<div class="quote__header">(.*?)</div>', html, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", header) == "8 minutes ago, spidermike007 said:"
    assert f'<a class="quote__when" href="/post/{first.pk}/"' in header
    assert f'<a class="quote__who" href="{author.get_absolute_url()}">spidermike007</a>' in header
    assert member_client.get(f"/post/{first.pk}/")["Location"].endswith(f"#post-{first.pk}")


def test_a_forged_quote_renders_the_real_author(member_client):
    real = UserFactory(username="realauthor")
    UserFactory(username="spidermike007")
    topic = make_topic(author=real)
    forged = (
        f'[quote="spidermike007, post:{topic.first_post_id}, time:946684800"]\n'
        "I never said this\n[/quote]"
    )
    member_client.post(_reply_url(topic), {"body": forged})
    html = member_client.get(topic.get_absolute_url()).content.decode()
    header = re.search(r'<div class="quote__header">(.*?)</div>', html, re.S).group(1)
    assert "realauthor" in header and "spidermike007" not in header


def test_a_reply_records_one_edge_per_quoted_post(member_client, member):
    alice, bob = UserFactory(), UserFactory()
    topic = make_topic(author=alice)
    first = Post.objects.get(pk=topic.first_post_id)
    second = make_post(topic, author=bob)
    body = _quote(first) + _quote(second) + _quote(first) + "\nBoth of you."
    member_client.post(_reply_url(topic), {"body": body})
    reply = Post.objects.get(topic=topic, position=3)
    edges = QuoteEdge.objects.filter(post=reply).order_by("quoted_post__position")
    assert [(e.quoted_post_id, e.quoted_user_id) for e in edges] == [
        (first.pk, alice.pk),
        (second.pk, bob.pk),
    ]


def test_nested_quotes_record_an_edge_for_each_quoted_post(member):
    alice, bob = UserFactory(), UserFactory()
    topic = make_topic(author=alice)
    first = Post.objects.get(pk=topic.first_post_id)
    second = make_post(topic, author=bob, body=_quote(first) + "\nYes.")
    reply = make_post(topic, author=member, body=_quote(second))
    quoted = set(QuoteEdge.objects.filter(post=reply).values_list("quoted_user_id", flat=True))
    assert quoted == {alice.pk, bob.pk}


def test_start_topic_records_quote_edges(member):
    source_topic = make_topic()
    topic = services.start_topic(
        source_topic.forum,
        author=member,
        title="Following up",
        body=f'[quote="x, post:{source_topic.first_post_id}"]\nOld\n[/quote]\nNew topic.',
    )
    assert QuoteEdge.objects.filter(post_id=topic.first_post_id).count() == 1


def test_edits_keep_add_and_drop_edges(member_client, member):
    topic = make_topic(replies=2)
    first, second = (Post.objects.get(topic=topic, position=n) for n in (2, 3))
    reply = make_post(topic, author=member, body=_quote(first))
    edge = QuoteEdge.objects.get(post=reply)
    member_client.post(f"/post/{reply.pk}/edit/", {"body": _quote(first) + _quote(second)})
    assert QuoteEdge.objects.filter(post=reply).count() == 2
    assert QuoteEdge.objects.filter(pk=edge.pk).exists()  # kept, not re-made: told once
    member_client.post(f"/post/{reply.pk}/edit/", {"body": _quote(second)})
    assert list(QuoteEdge.objects.filter(post=reply).values_list("quoted_post_id", flat=True)) == [
        second.pk
    ]


def test_no_edge_for_posts_the_writer_may_not_see_or_that_do_not_exist(member):
    topic = make_topic(replies=1)
    hidden = Post.objects.get(topic=topic, position=2)
    Post.objects.filter(pk=hidden.pk).update(hidden=True)
    staff_only = make_topic(ForumFactory(read_access="moderators"))
    body = (
        f'[quote="a, post:{hidden.pk}"]x[/quote]\n[quote="b, post:{staff_only.first_post_id}"]y'
        '[/quote]\n[quote="c, post:999999"]z[/quote]'
    )
    reply = make_post(topic, author=member, body=body)
    assert not QuoteEdge.objects.filter(post=reply).exists()


# --- The topic page's query budget with quotes ---------------------------------------------


def test_quotes_cost_one_query_for_the_whole_page(guest_client, member_client):
    short = make_topic()
    long = make_topic()
    sources = [make_post(long, author=UserFactory()) for _ in range(9)]
    for source in sources:
        make_post(long, author=UserFactory(), body=_quote(source) + "\nQuoted.")
    make_post(short, body=_quote(Post.objects.get(pk=long.first_post_id)))
    for client, budget, first_view in [
        (guest_client, GUEST_TOPIC_PAGE_QUERIES, 0),
        (member_client, MEMBER_TOPIC_PAGE_QUERIES, READ_MARKER_WRITE),
    ]:
        for topic in (short, long):  # warm up: reaction types, last seen, read positions
            client.get(topic.get_absolute_url())
        one = _count_queries(client, short.get_absolute_url())
        twenty = _count_queries(client, long.get_absolute_url())
        assert len(one) == len(twenty) == budget + QUOTED_POSTS_QUERIES
        plain = make_topic()  # a first view moves a member's read position: one write
        assert len(_count_queries(client, plain.get_absolute_url())) == budget + first_view


def test_quoted_reply_form_costs_the_same_for_one_quote_as_for_many(member_client):
    topic = make_topic(replies=12)
    ids = list(Post.objects.filter(topic=topic).values_list("pk", flat=True))
    member_client.get(_reply_url(topic))  # warm up: last seen
    one = _count_queries(member_client, f"{_reply_url(topic)}?quote={ids[0]}")
    many = _count_queries(
        member_client, f"{_reply_url(topic)}?" + "&".join(f"quote={i}" for i in ids)
    )
    assert len(one) == len(many)
    text = f"/topic/{topic.pk}-{topic.slug}/quote/?"
    assert len(_count_queries(member_client, f"{text}quote={ids[0]}")) == len(
        _count_queries(member_client, text + "&".join(f"quote={i}" for i in ids))
    )


def test_reply_form_of_a_topic_the_member_cannot_see_is_not_found(member_client):
    topic = make_topic(ForumFactory(read_access="moderators"))
    assert member_client.get(f"{_reply_url(topic)}?quote={topic.first_post_id}").status_code == 404
