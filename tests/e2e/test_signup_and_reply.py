"""A newcomer signs up, confirms the e-mail, signs in and replies, in a real browser."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tests.factories import make_topic

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_up_confirm_sign_in_and_reply(page, live_server):
    topic = make_topic(title="Sourdough starter: day 9 and still nothing", body="Is it dead?")

    page.goto(topic.get_absolute_url())
    assert page.get_by_text("Create an account or sign in to comment").is_visible()
    page.get_by_role("link", name="Register a new account").click()

    page.fill("input[name=username]", "breadfan")
    page.fill("input[name=email]", "breadfan@example.com")
    page.fill("input[name=password1]", "rye flour wakes it up 42")
    page.fill("input[name=password2]", "rye flour wakes it up 42")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/accounts/confirm-email/")

    message = mail.outbox[-1]
    assert message.to == ["breadfan@example.com"]
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", message.body)
    confirm_path = link.group(1)
    page.goto(confirm_path)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()

    # Sign out and back in, by username this time.
    page.goto("/accounts/logout/")
    page.locator("main").get_by_role("button", name="Sign Out").click()
    page.goto("/accounts/login/?next=" + topic.get_absolute_url())
    page.fill("input[name=login]", "breadfan")
    page.fill("input[name=password]", "rye flour wakes it up 42")
    page.locator("form.account-form").get_by_role("button", name="Sign In").click()
    page.wait_for_url("**" + topic.get_absolute_url())

    assert page.locator("input[name=csrfmiddlewaretoken]").count() >= 1
    page.fill("textarea[name=body]", "Switch to **rye** for a few feeds. Mine woke up in two days.")
    page.get_by_role("button", name="Submit Reply").click()
    page.wait_for_url(re.compile(r".*#post-\d+$"))

    reply = page.locator("article.post").last
    assert "breadfan" in reply.inner_text()
    assert reply.locator("strong", has_text="rye").is_visible()
    assert "Posted just now" in reply.inner_text()
