"""A visitor on a phone searches from the header and opens the result."""

from __future__ import annotations

import re

import pytest

from tests.factories import make_topic

pytestmark = pytest.mark.django_db(transaction=True)


def test_search_from_the_header_on_a_phone(page):
    topic = make_topic(title="Budget tripod", body="Hang your bag from the hook.", replies=25)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/")
    box = page.get_by_role("searchbox", name="Search the forum")
    assert box.is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the header must not overflow a phone screen"
    box.fill("Reply number 22")
    box.press("Enter")
    page.wait_for_url(re.compile(r".*/search/\?q=Reply\+number\+22"))
    result = page.locator(".search-result").first
    assert result.locator("mark").first.is_visible()
    result.get_by_role("link", name="Budget tripod").click()
    page.wait_for_url(re.compile(rf".*/topic/{topic.pk}-budget-tripod/page/2/#post-\d+$"))
    assert page.locator("article.post:target").inner_text().count("Reply number 22.") == 1
