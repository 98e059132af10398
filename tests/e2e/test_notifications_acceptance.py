"""Acceptance on the demo forum: two members see each other under "Recently Browsing";
a moderator recommends a reply, shown on page 1 and page 2; a quote and a mention each
make one notification and one e-mail; a member's topic page costs a fixed number of queries."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forum.notifications.models import Kind, Notification
from forum.posts.models import Post, RecommendedPost
from forum.presence import tracking
from forum.threads.models import Topic
from tests.e2e.test_notifications import _second_page, _sign_in
from tests.factories import default_reaction_types
from tests.threads.test_topic_page import MEMBER_TOPIC_PAGE_QUERIES, QUOTED_POSTS_QUERIES

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_TOPIC = "Show us your workspace (2026 edition)"


def _member(name: str) -> Any:
    return get_user_model().objects.get(username=name)


def test_demo_forum_presence_recommendation_quote_mention_and_query_count(
    page, live_server, mailoutbox, moderators_group
):
    # moderators_group: the flush of a browser test empties the migration's group,
    # whose permission to recommend the demo moderator relies on.
    default_reaction_types()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    tracking.clear_local()
    topic = Topic.objects.get(title=DEMO_TOPIC)
    assert topic.page_count >= 2
    spider, lena = _member("spidermike007"), _member("lena.builds")

    # Two members in two browsers on the same topic see each other.
    _sign_in(page.context, spider, live_server)
    page.goto(topic.get_absolute_url())
    other = _second_page(page, lena, live_server)
    other.goto(topic.get_page_url(2))
    assert "spidermike007" in other.locator(".presence").inner_text()
    page.reload()
    assert "lena.builds" in page.locator(".presence").inner_text()

    # The demo moderator recommends a reply on page 2: the block shows it on pages 1 and 2.
    moderator = _second_page(page, _member("marta_k"), live_server)
    candidate = (
        Post.objects.filter(topic=topic, position__range=(21, 40), recommendation__isnull=True)
        .exclude(author__username="marta_k")
        .order_by("position")
        .first()
    )
    moderator.goto(topic.get_page_url(2))
    card = moderator.locator(f"#post-{candidate.pk}")
    card.locator("summary", has_text="Recommend").click()
    card.get_by_label("Note (optional)").fill("The best bench in the thread")
    card.get_by_role("button", name="Recommend this post").click()
    moderator.wait_for_url(re.compile(rf".*#post-{candidate.pk}$"))
    assert RecommendedPost.objects.filter(post=candidate).exists()
    for url in (topic.get_absolute_url(), topic.get_page_url(2)):
        page.goto(url)
        block = page.locator(".recommended")
        assert block.locator(f'a[href="/post/{candidate.pk}/"]').count() == 1
        assert "The best bench in the thread" in block.inner_text()
    moderator.context.close()

    # Lena quotes spidermike007 and mentions captain_obvious in one reply.
    quoted = Post.objects.filter(topic=topic, author=spider, position__gt=20).first()
    quoted = quoted or Post.objects.filter(topic=topic, author=spider).first()
    before = set(Notification.objects.values_list("pk", flat=True))
    mailoutbox.clear()
    other.goto(f"/post/{quoted.pk}/")
    other.locator(f"#post-{quoted.pk}").get_by_role("button", name="Quote", exact=True).click()
    other.wait_for_function(
        "() => document.querySelector('#reply textarea').value.includes('[/quote]')"
    )
    editor = other.locator("#reply textarea")
    editor.press("End")
    editor.type("Same clamps here. What do you think, @captain_obvious?")
    other.get_by_role("button", name="Submit Reply").click()
    other.wait_for_url(re.compile(r".*#post-\d+$"))
    new = Notification.objects.exclude(pk__in=before)
    quote = new.filter(kind=Kind.QUOTE)
    mention = new.filter(kind=Kind.MENTION)
    assert [n.recipient.username for n in quote] == ["spidermike007"]
    assert [n.recipient.username for n in mention] == ["captain_obvious"]
    to = [mail.to[0] for mail in mailoutbox]
    assert to.count(spider.email) == 1 and to.count(_member("captain_obvious").email) == 1
    other.context.close()

    # The quoted member's bell counts it; the notification leads to the reply.
    page.goto("/notifications/")
    # Newest first: the demo's own older quotes of spidermike007 come after it.
    fresh = quote.get()
    page.locator(f"#notification-{fresh.pk} a.notification__link", has_text="quoted").click()
    reply = Post.objects.filter(topic=topic).order_by("-position").first()
    page.wait_for_url(f"**#post-{reply.pk}")

    # A member's topic page: the same number of queries on every page.
    client = Client()
    client.force_login(spider)
    for number in range(1, topic.page_count + 1):
        client.get(topic.get_page_url(number))  # warm up: read positions, caches
    counts = set()
    for number in range(1, topic.page_count + 1):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(topic.get_page_url(number)).status_code == 200
        counts.add(len(ctx.captured_queries))
    assert counts <= {MEMBER_TOPIC_PAGE_QUERIES, MEMBER_TOPIC_PAGE_QUERIES + QUOTED_POSTS_QUERIES}
