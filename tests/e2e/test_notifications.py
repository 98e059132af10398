"""Notifications, Recently Browsing, recommended posts and @mentions in a real browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client

from forum.posts.models import Post
from forum.presence import tracking
from tests.factories import UserFactory, make_topic

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_presence() -> Any:
    tracking.clear_local()
    yield
    tracking.clear_local()


def _sign_in(context: Any, user: Any, live_server: Any) -> None:
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    context.add_cookies(
        [{"name": name, "value": client.cookies[name].value, "url": live_server.url}]
    )


def _second_page(page: Any, user: Any, live_server: Any) -> Any:
    """Another browser: its own context (cookies), signed in as ``user``."""
    context = page.context.browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=live_server.url
    )
    context.set_default_timeout(10_000)
    _sign_in(context, user, live_server)
    return context.new_page()


def test_a_quoted_member_sees_the_bell_and_lands_on_the_post(page, live_server):
    quoter = UserFactory(username="member_a")
    quoted = UserFactory(username="member_b")
    topic = make_topic(author=quoted, body="Fog over the river this morning.")
    first = Post.objects.get(pk=topic.first_post_id)

    # Member A quotes member B's post and replies.
    _sign_in(page.context, quoter, live_server)
    page.goto(topic.get_absolute_url())
    page.locator(f"#post-{first.pk}").get_by_role("button", name="Quote", exact=True).click()
    page.wait_for_function(
        "() => document.querySelector('#reply textarea').value.includes('[/quote]')"
    )
    page.locator("#reply textarea").press("End")
    page.locator("#reply textarea").type("Lovely light.")
    page.get_by_role("button", name="Submit Reply").click()
    page.wait_for_url(re.compile(r".*#post-\d+$"))
    reply = Post.objects.filter(topic=topic).order_by("-position").first()

    # Member B signs in: the bell says 1; the notification leads to the post.
    other = _second_page(page, quoted, live_server)
    other.goto("/")
    bell = other.locator("a.bell")
    assert bell.locator(".bell__count").inner_text() == "1"
    assert "1 unread" in bell.inner_text()
    bell.click()
    other.wait_for_url("**/notifications/")
    item = other.locator(".notification").first
    assert "member_a quoted your post in A topic worth reading" in item.inner_text()
    item.locator("a.notification__link").click()
    other.wait_for_url(f"**{topic.get_absolute_url()}#post-{reply.pk}")
    assert other.locator(f"#post-{reply.pk}").is_visible()
    assert other.locator("a.bell .bell__count").count() == 0
    other.context.close()


def test_two_members_on_one_topic_see_each_other(page, live_server):
    topic = make_topic(replies=25)
    lena, kwame = UserFactory(username="lena"), UserFactory(username="kwame")
    _sign_in(page.context, lena, live_server)
    page.goto(topic.get_absolute_url())
    other = _second_page(page, kwame, live_server)
    other.goto(topic.get_page_url(2))
    assert "lena" in other.locator(".presence").inner_text()
    page.reload()
    presence = page.locator(".presence").inner_text()
    assert "Recently Browsing 2 members" in presence and "kwame" in presence
    other.context.close()


def test_a_moderator_recommends_a_reply_shown_on_every_page(page, live_server):
    moderator = UserFactory(username="mod_marta")
    moderator.user_permissions.add(Permission.objects.get(codename="recommend_post"))
    topic = make_topic(replies=25)
    post = Post.objects.get(topic=topic, position=5)
    _sign_in(page.context, moderator, live_server)
    page.goto(topic.get_absolute_url())
    card = page.locator(f"#post-{post.pk}")
    card.locator("summary", has_text="Recommend").click()
    card.get_by_label("Note (optional)").fill("Read this one")
    card.get_by_role("button", name="Recommend this post").click()
    page.wait_for_url(re.compile(rf".*#post-{post.pk}$"))
    assert page.locator(f"#post-{post.pk} .badge--recommended").is_visible()
    for url in (topic.get_absolute_url(), topic.get_page_url(2)):
        page.goto(url)
        block = page.locator(".recommended")
        assert "Recommended Posts" in block.inner_text()
        assert "Read this one" in block.inner_text()
    page.locator(".recommended a.recommended__link").click()
    page.wait_for_url(f"**#post-{post.pk}")


def test_the_editor_suggests_members_to_mention(page, live_server):
    UserFactory(username="spidermike007")
    UserFactory(username="spiderwoman")
    member = UserFactory(username="writer")
    topic = make_topic()
    _sign_in(page.context, member, live_server)
    page.goto(topic.get_absolute_url())
    editor = page.locator("#reply textarea[name=body]")
    editor.click()
    editor.type("Thanks @spid")
    listbox = page.get_by_role("listbox")
    listbox.wait_for()
    assert listbox.locator("[role=option]").all_inner_texts() == ["@spidermike007", "@spiderwoman"]
    assert editor.get_attribute("aria-expanded") == "true"
    editor.press("ArrowDown")
    editor.press("Enter")
    assert editor.input_value() == "Thanks @spiderwoman "
    assert not listbox.is_visible()
    editor.type("and @spidermike007!")
    page.get_by_role("button", name="Submit Reply").click()
    page.wait_for_url(re.compile(r".*#post-\d+$"))
    links = page.locator("article.post").last.locator("a.mention")
    assert links.all_inner_texts() == ["@spiderwoman", "@spidermike007"]


def test_header_menus_open_by_keyboard_at_phone_width(page, live_server):
    member = UserFactory()
    _sign_in(page.context, member, live_server)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/")
    toggle = page.locator("summary.create-menu__toggle")
    toggle.focus()
    page.keyboard.press("Enter")
    topic_link = page.locator(".create-menu .menu__list a").first
    assert topic_link.is_visible()
    box = page.locator(".create-menu .menu__list").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    page.keyboard.press("Escape")
    assert not topic_link.is_visible()
    bell = page.locator("a.bell")
    assert bell.is_visible() and bell.bounding_box()["x"] + 38 <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_the_header_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    member = UserFactory()
    _sign_in(context, member, live_server)
    page = context.new_page()
    page.goto("/")
    page.locator("summary.create-menu__toggle").click()
    page.locator(".create-menu .menu__list a").first.click()
    page.wait_for_url("**/new-topic/")
    assert page.locator("h1").inner_text() == "Start a new topic"
    context.close()
