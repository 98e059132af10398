"""Quoting and reacting in a real browser, with JavaScript and without."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from forum.posts.models import Post
from forum.reactions import services
from forum.reactions.models import Reaction
from tests.factories import UserFactory, default_reaction_types, make_post, make_topic

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(context: Any, user: Any, live_server: Any) -> None:
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    context.add_cookies(
        [{"name": name, "value": client.cookies[name].value, "url": live_server.url}]
    )


def _post(page: Any, post: Post) -> Any:
    return page.locator(f"#post-{post.pk}")


def _long_topic(author: Any, replies: int = 25) -> tuple[Any, list[Post]]:
    """A topic of ``replies + 1`` posts by different members, on two pages."""
    started = timezone.now() - timedelta(hours=2)
    topic = make_topic(author=author, body="Opening post.", created_at=started)
    posts = [Post.objects.get(pk=topic.first_post_id)]
    for n in range(replies):
        posts.append(make_post(topic, author=UserFactory(), body=f"Reply number {n + 1}."))
    topic.refresh_from_db()
    return topic, posts


def _counts(page: Any, post: Post) -> list[str]:
    """The post's reaction counts as a reader sees them: "Like 1"."""
    chips = page.locator(f"#reactions-{post.pk} a.reaction-count").all()
    return [
        f"{chip.locator('.reaction-count__name').inner_text()} "
        f"{chip.locator('.reaction-count__n').inner_text()}"
        for chip in chips
    ]


def _mine(page: Any, post: Post) -> Any:
    return page.locator(f"#reactions-{post.pk} a.reaction-count.is-mine")


def _mark_no_reload(page: Any) -> None:
    page.evaluate("window.__stillHere = true")


def _not_reloaded(page: Any) -> bool:
    return page.evaluate("window.__stillHere === true")


def test_quote_a_post_and_reply(page, live_server):
    author = UserFactory(username="spidermike007")
    member = UserFactory(username="quoter")
    topic = make_topic(
        author=author, body="Fog over the river.", created_at=timezone.now() - timedelta(minutes=8)
    )
    first = Post.objects.get(pk=topic.first_post_id)
    _sign_in(page.context, member, live_server)
    page.goto(topic.get_absolute_url())
    _mark_no_reload(page)

    editor = page.locator("#reply textarea[name=body]")
    editor.fill("Good point.")
    editor.press("End")
    _post(page, first).get_by_role("button", name="Quote", exact=True).click()
    expect = (
        f'Good point.\n\n[quote="spidermike007, post:{first.pk}"]\nFog over the river.\n[/quote]'
    )
    page.wait_for_function(
        "expected => document.querySelector('#reply textarea').value.startsWith(expected)",
        arg=expect,
    )
    assert _not_reloaded(page)
    assert page.evaluate("document.activeElement.name") == "body"  # the cursor is in the editor
    editor.press("End")
    editor.type("I agree.")
    page.get_by_role("button", name="Submit Reply").click()
    page.wait_for_url(re.compile(r".*#post-\d+$"))

    reply = page.locator("article.post").last
    header = reply.locator(".quote__header")
    assert header.inner_text() == "8 minutes ago, spidermike007 said:"
    assert header.locator("a.quote__who").get_attribute("href") == author.get_absolute_url()
    header.locator("a.quote__when").click()
    page.wait_for_url(f"**{topic.get_absolute_url()}#post-{first.pk}")


def test_multi_quote_two_posts_from_two_pages(page, live_server):
    member = UserFactory(username="collector")
    topic, posts = _long_topic(UserFactory())
    on_page_one, on_page_two = posts[2], posts[23]
    _sign_in(page.context, member, live_server)

    page.goto(topic.get_absolute_url())
    _mark_no_reload(page)
    toggle = _post(page, on_page_one).get_by_role("button", name="Multi-quote")
    toggle.click()
    page.wait_for_selector(f"#multiquote-{on_page_one.pk} button[aria-pressed=true]")
    assert page.get_by_role("button", name="Quote selected (1)").is_visible()
    assert _not_reloaded(page)
    # The keyboard focus stays on the button that was swapped in.
    assert (
        page.evaluate("document.activeElement.dataset.focusKey") == f"multiquote-{on_page_one.pk}"
    )

    page.goto(topic.get_page_url(2))
    _post(page, on_page_two).get_by_role("button", name="Multi-quote").click()
    insert = page.get_by_role("button", name="Quote selected (2)")
    insert.wait_for()
    _mark_no_reload(page)
    insert.click()
    page.wait_for_function(
        "() => document.querySelector('#reply textarea').value.includes('[/quote]')"
    )
    value = page.locator("#reply textarea").input_value()
    assert value.index(f"post:{on_page_one.pk}") < value.index(f"post:{on_page_two.pk}")
    assert "Reply number 2." in value and "Reply number 23." in value
    assert _not_reloaded(page)
    assert not page.locator("#multiquote-bar").is_visible()
    assert page.locator(".multiquote-toggle button[aria-pressed=true]").count() == 0

    page.locator("#reply textarea").press("End")
    page.locator("#reply textarea").type("Both of you are right.")
    page.get_by_role("button", name="Submit Reply").click()
    page.wait_for_url(re.compile(r".*#post-\d+$"))
    headers = page.locator("article.post").last.locator(".quote__header")
    assert headers.count() == 2
    for header, source in zip(headers.all(), [on_page_one, on_page_two], strict=True):
        assert header.inner_text().endswith(f"{source.author.username} said:")
        assert header.locator("a.quote__when").get_attribute("href") == f"/post/{source.pk}/"


def test_react_change_and_remove_without_reload(page, live_server):
    types = default_reaction_types()
    author, member = UserFactory(), UserFactory()
    topic = make_topic(author=author)
    post = Post.objects.get(pk=topic.first_post_id)
    services.react_to_post(post, user=UserFactory(), reaction_type=types["Like"])
    _sign_in(page.context, member, live_server)
    page.goto(topic.get_absolute_url())
    _mark_no_reload(page)
    bar = page.locator(f"#reactions-{post.pk}")

    def choose(name: str) -> None:
        page.locator(f"#reactions-{post.pk} summary").click()
        page.locator(f"#reactions-{post.pk}").get_by_role("button", name=name).click()

    reputation = page.locator(f".reputation-of-{author.pk}").first
    assert reputation.inner_text() == "1"
    choose("Thumbs Up")
    _mine(page, post).filter(has_text="Thumbs Up").wait_for()
    assert _counts(page, post) == ["Like 1", "Thumbs Up 1"]
    assert reputation.inner_text() == str(1 + types["Thumbs Up"].weight)  # in place
    assert page.locator(f"#reactions-status-{post.pk}").inner_text() == "Your reaction: Thumbs Up."
    pressed = bar.locator("button[aria-pressed=true]")
    assert pressed.count() == 1 and "Thumbs Up" in pressed.text_content()

    choose("Like")
    _mine(page, post).filter(has_text="Like").wait_for()
    assert _counts(page, post) == ["Like 2"]

    choose("Like")  # the same again: taken back
    _mine(page, post).wait_for(state="detached")
    assert _counts(page, post) == ["Like 1"]
    assert _not_reloaded(page)
    assert Reaction.objects.filter(post=post).count() == 1


def test_react_by_keyboard_keeps_the_focus(page, live_server):
    default_reaction_types()
    member = UserFactory()
    topic = make_topic()
    post = Post.objects.get(pk=topic.first_post_id)
    _sign_in(page.context, member, live_server)
    page.goto(topic.get_absolute_url())
    summary = page.locator(f"#reactions-{post.pk} summary")
    summary.focus()
    page.keyboard.press("Enter")  # opens the menu
    page.keyboard.press("Tab")  # the first choice: Like
    assert page.evaluate("document.activeElement.getAttribute('aria-pressed')") == "false"
    page.keyboard.press("Enter")
    _mine(page, post).wait_for()
    assert _counts(page, post) == ["Like 1"]
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    assert page.evaluate("document.activeElement.dataset.focusKey") == f"react-{post.pk}"
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")  # closes the menu again
    assert not page.locator(f"#reactions-{post.pk} details").get_attribute("open")


def test_who_reacted_popover(page, live_server):
    types = default_reaction_types()
    topic = make_topic()
    post = Post.objects.get(pk=topic.first_post_id)
    for username in ["ann", "ben"]:
        services.react_to_post(
            post, user=UserFactory(username=username), reaction_type=types["Like"]
        )
    services.react_to_post(post, user=UserFactory(username="cleo"), reaction_type=types["Sad"])
    page.goto(topic.get_absolute_url())  # as a guest
    _mark_no_reload(page)
    chip = page.locator(f"#reactions-{post.pk} a.reaction-count").first  # Like 2
    chip.click()
    popover = page.locator(f"#reactors-{post.pk}")
    popover.get_by_text("3 reactions").wait_for()
    assert popover.get_attribute("role") == "dialog"
    assert popover.locator(".reactors__name").all_inner_texts() == ["ben", "ann"]
    popover.get_by_role("link", name=re.compile("All")).click()
    popover.get_by_text("cleo").wait_for()
    assert popover.locator(".reactors__name").all_inner_texts() == ["cleo", "ben", "ann"]
    page.keyboard.press("Escape")
    assert popover.is_hidden()
    assert page.evaluate("document.activeElement.classList.contains('reaction-count')")
    assert _not_reloaded(page)


def test_deep_and_long_quotes_fold(page, live_server):
    topic = make_topic(body="Level one.")
    first = Post.objects.get(pk=topic.first_post_id)
    second = make_post(
        topic, body=f'[quote="a, post:{first.pk}"]\nLevel one.\n[/quote]\nLevel two.'
    )
    third = make_post(
        topic, body=f'[quote="b, post:{second.pk}"]\n{second.body}\n[/quote]\nLevel three.'
    )
    fourth = make_post(
        topic, body=f'[quote="c, post:{third.pk}"]\n{third.body}\n[/quote]\nLevel four.'
    )
    long_text = "\n\n".join(f"Paragraph {n} of a very long post." for n in range(40))
    fifth = make_post(topic, body=f'[quote="d, post:{first.pk}"]\n{long_text}\n[/quote]\nShort.')
    page.goto(topic.get_absolute_url())

    deep = _post(page, fourth)
    show_more = deep.get_by_role("button", name="Show more")
    assert show_more.count() == 1 and show_more.get_attribute("aria-expanded") == "false"
    assert not deep.get_by_text("Level one.").is_visible()
    show_more.click()
    assert deep.get_by_text("Level one.").is_visible()

    long = _post(page, fifth)
    assert long.locator("blockquote.quote.is-clipped").count() == 1
    long.get_by_role("button", name="Expand").click()
    assert long.locator("blockquote.quote.is-clipped").count() == 0
    assert long.get_by_text("Paragraph 39 of a very long post.").is_visible()


def test_without_javascript_quote_and_react_through_plain_forms(browser, live_server):
    types = default_reaction_types()
    member = UserFactory(username="nojs")
    topic, posts = _long_topic(UserFactory())
    on_page_one, on_page_two, third = posts[2], posts[23], posts[24]
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    _sign_in(context, member, live_server)
    page = context.new_page()
    try:
        page.goto(topic.get_absolute_url())
        _post(page, on_page_one).get_by_role("button", name="Multi-quote").click()
        page.wait_for_url(f"**#post-{on_page_one.pk}")
        assert (
            page.locator(f"#multiquote-{on_page_one.pk} button").get_attribute("aria-pressed")
            == "true"
        )
        page.goto(topic.get_page_url(2))
        _post(page, on_page_two).get_by_role("button", name="Multi-quote").click()
        page.wait_for_url(f"**#post-{on_page_two.pk}")
        page.get_by_role("button", name="Quote selected (2)").click()
        page.wait_for_url("**/reply/?quote=*")
        value = page.locator("textarea[name=body]").input_value()
        assert f"post:{on_page_one.pk}" in value and f"post:{on_page_two.pk}" in value
        page.locator("textarea[name=body]").fill(value + "\nAgreed with both.")
        page.get_by_role("button", name="Submit Reply").click()
        page.wait_for_url(re.compile(r".*#post-\d+$"))
        headers = page.locator("article.post").last.locator(".quote__header")
        assert headers.count() == 2

        # React "Thumbs Up" to a third post: the <details> menu opens without script.
        page.goto(topic.get_page_url(2))
        _post(page, third).locator("summary").click()
        _post(page, third).get_by_role("button", name="Thumbs Up").click()
        page.wait_for_url(f"**#post-{third.pk}")
        assert _counts(page, third) == ["Thumbs Up 1"]
        assert Reaction.objects.get(post=third).type == types["Thumbs Up"]
    finally:
        context.close()
