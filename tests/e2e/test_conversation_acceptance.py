"""Acceptance on the demo forum: quote two posts from two pages and react "Thumbs Up" to a third,
with JavaScript (no reload) and without (plain forms)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from forum.humanize import relative_time
from forum.posts.models import Post
from forum.reactions.models import Reaction
from forum.threads.models import Topic
from tests.e2e.test_quotes_and_reactions import _counts, _sign_in
from tests.factories import default_reaction_types

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_TOPIC = "Show us your workspace (2026 edition)"


def _unreacted(topic: Topic, page: int, member: Any, taken: set[int]) -> Post:
    """A post on ``page`` with no reactions yet, not by ``member``."""
    first = (page - 1) * 20 + 1
    candidates = Post.objects.filter(
        topic=topic, position__range=(first, first + 19), reactions__isnull=True
    ).exclude(author=member)
    return candidates.exclude(pk__in=taken).order_by("position").first()


def _check_quote_headers(page: Any, sources: list[Post]) -> None:
    reply = page.locator("article.post").last
    # The reply's own quotes; a quoted post may hold a quote of its own, inside.
    headers = reply.locator(".post__content > blockquote.quote > .quote__header")
    assert headers.count() == 2
    for header, source in zip(headers.all(), sources, strict=True):
        time = header.locator("time")
        assert time.get_attribute("datetime") == source.created_at.isoformat()
        assert header.inner_text() == (
            f"{relative_time(source.created_at)}, {source.author.username} said:"
        )
        assert header.locator("a.quote__when").get_attribute("href") == f"/post/{source.pk}/"
        assert header.locator("a.quote__who").get_attribute("href") == (
            source.author.get_absolute_url()
        )


def test_demo_topic_quote_two_posts_and_react_with_and_without_javascript(browser, live_server):
    default_reaction_types()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    member = get_user_model().objects.get(username="spidermike007")
    topic = Topic.objects.get(title=DEMO_TOPIC)
    assert topic.page_count >= 2
    url = topic.get_absolute_url()
    taken: set[int] = set()

    for javascript in (True, False):
        context = browser.new_context(
            java_script_enabled=javascript,
            base_url=live_server.url,
            viewport={"width": 1280, "height": 900},
        )
        _sign_in(context, member, live_server)
        page = context.new_page()
        errors: list[str] = []
        page.on(
            "console", lambda msg, e=errors: e.append(msg.text) if msg.type == "error" else None
        )
        try:
            one = _unreacted(topic, 1, member, taken)
            two = _unreacted(topic, 2, member, taken | {one.pk})
            third = _unreacted(topic, 1, member, taken | {one.pk, two.pk})
            taken |= {one.pk, two.pk, third.pk}

            page.goto(url)
            if javascript:
                page.evaluate("window.__stillHere = true")
            page.locator(f"#post-{one.pk}").get_by_role("button", name="Multi-quote").click()
            page.locator(f"#multiquote-{one.pk} button[aria-pressed=true]").wait_for()
            page.goto(topic.get_page_url(2))
            page.locator(f"#post-{two.pk}").get_by_role("button", name="Multi-quote").click()
            page.locator(f"#multiquote-{two.pk} button[aria-pressed=true]").wait_for()
            if javascript:
                page.evaluate("window.__stillHere = true")
            page.get_by_role("button", name="Quote selected (2)").click()
            editor = page.locator("textarea[name=body]")
            if javascript:
                page.wait_for_function(
                    "() => document.querySelector('#reply textarea').value.includes('[/quote]')"
                )
                assert page.evaluate("window.__stillHere === true")
            else:
                page.wait_for_url("**/reply/?quote=*")
            editor.press("End")
            editor.type(" Great setups, both of you.")
            page.get_by_role("button", name="Submit Reply").click()
            page.wait_for_url(re.compile(r".*#post-\d+$"))
            _check_quote_headers(page, [one, two])

            page.goto(url)
            if javascript:
                page.evaluate("window.__stillHere = true")
            post = page.locator(f"#post-{third.pk}")
            post.locator("summary").click()
            post.get_by_role("button", name="Thumbs Up").click()
            if javascript:
                page.locator(f"#reactions-{third.pk} a.reaction-count.is-mine").wait_for()
                assert page.evaluate("window.__stillHere === true")
            else:
                page.wait_for_url(f"**#post-{third.pk}")
            assert _counts(page, third) == ["Thumbs Up 1"]
            assert Reaction.objects.get(post=third).user == member
            assert errors == [], errors
        finally:
            context.close()
