"""A moderator handles a report in a real browser: topic page, admin queue, topic page again."""

from __future__ import annotations

import re

import pytest

from forum.moderation.services import file_report
from forum.posts.models import Post
from tests.factories import PASSWORD, UserFactory, make_topic

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, username: str, next_url: str) -> None:
    page.goto("/accounts/login/?next=" + next_url)
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.account-form").get_by_role("button", name="Sign In").click()
    page.wait_for_url("**" + next_url)


def test_moderator_hides_a_reported_post_from_the_admin(page, live_server, moderators_group):
    topic = make_topic(title="Tripods for night skies", replies=2)
    post = Post.objects.get(topic=topic, position=3)
    file_report(post, reporter=UserFactory(), reason="abuse", message="Insults")
    moderator = UserFactory(username="marta")
    moderator.groups.add(moderators_group)

    sign_in(page, "marta", "/admin/")
    assert page.get_by_text("1 open report").is_visible()
    page.get_by_role("link", name="Abusive, hateful or harassing").click()
    page.get_by_label("Hide the post and resolve the report").check()
    page.fill("input[name=hide_reason]", "Insulting other members")
    page.fill("textarea[name=note]", "Thanks, it is gone.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r".*/admin/moderation/report/.*"))

    # On the topic page the moderator sees the post greyed, with who and why.
    page.goto(topic.get_absolute_url())
    article = page.locator(f"#post-{post.pk}")
    assert "Hidden by marta: Insulting other members" in article.inner_text()
    assert "is-hidden" in (article.get_attribute("class") or "")

    # The topic tools work as plain forms: lock from the menu.
    page.get_by_text("Moderation", exact=True).click()
    page.get_by_role("button", name="Lock topic").click()
    page.wait_for_load_state()
    assert page.get_by_text("This topic is now closed to further replies.").is_visible()

    # The hide form on another post opens in place.
    other = page.locator("#post-" + str(Post.objects.get(topic=topic, position=2).pk))
    other.get_by_text("Hide…").click()
    assert other.get_by_label("Reason (moderators see it)").is_visible()
