"""A member drags a photo into the editor, posts, and the photo shows in the post."""

from __future__ import annotations

import base64
import re

import pytest
from playwright.sync_api import expect

from forum.posts.models import Attachment, Post
from tests import imagefiles
from tests.factories import PASSWORD, UserFactory, make_topic

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_root")]

DROP = """(textarea, [data, name]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, { type: "image/jpeg" }));
  for (const type of ["dragenter", "dragover", "drop"]) {
    textarea.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true,
                                                 cancelable: true }));
  }
}"""


def _sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.account-form").get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/")


def test_member_drags_a_photo_into_the_editor_and_posts_it(page):
    member = UserFactory(username="hiker")
    topic = make_topic(title="Show your ridge photos", body="Post them here.")
    _sign_in(page, member.username)
    page.goto(topic.get_absolute_url())

    textarea = page.locator("textarea[name=body]")
    textarea.fill("Up on the ridge at dawn:\n")
    photo = base64.b64encode(imagefiles.jpeg_with_gps((1600, 1000), orientation=1)).decode()
    textarea.evaluate(DROP, [photo, "ridge.jpg"])

    # The upload finishes and its Markdown replaces the placeholder at the cursor.
    expect(textarea).to_have_value(re.compile(r"\]\(attachment:\d+\)$"))
    attachment = Attachment.objects.get()
    assert textarea.input_value() == (
        f"Up on the ridge at dawn:\n![ridge.jpg](attachment:{attachment.pk})"
    )
    item = page.locator("[data-upload-item]").filter(has_text="ridge.jpg")
    assert item.locator("input[name=attachments]").is_checked()
    assert item.get_by_role("button", name="Insert into text").is_visible()

    page.get_by_role("button", name="Submit Reply").click()
    page.wait_for_url(re.compile(r".*#post-\d+$"))

    post = Post.objects.get(topic=topic, position=2)
    attachment.refresh_from_db()
    assert attachment.post == post
    image = page.locator(f"#post-{post.pk} a.attachment img")
    image.scroll_into_view_if_needed()
    assert image.is_visible()
    assert image.get_attribute("src") == attachment.display.url
    assert image.evaluate("img => img.complete && img.naturalWidth") == 1200
    link = page.locator(f"#post-{post.pk} a.attachment")
    assert link.get_attribute("href") == attachment.file.url
    full = page.request.get(attachment.file.url)
    assert full.headers["content-type"] == "image/jpeg"
    assert imagefiles.SECRET.encode() not in full.body() and b"Exif" not in full.body()


@pytest.mark.usefixtures("allow_refused_requests")
def test_a_refused_drop_says_why_next_to_the_editor(page):
    member = UserFactory(username="prankster")
    topic = make_topic()
    _sign_in(page, member.username)
    page.goto(topic.get_absolute_url())
    textarea = page.locator("textarea[name=body]")
    textarea.fill("Keep this text.")
    svg = base64.b64encode(imagefiles.SVG).decode()
    textarea.evaluate(DROP, [svg, "cat.png"])
    error = page.locator("[data-upload-errors] .field-error")
    error.wait_for()
    assert error.inner_text() == (
        "cat.png: This file is in SVG format. Only JPEG, PNG, GIF and WebP images are accepted."
    )
    assert textarea.input_value() == "Keep this text."
    assert not Attachment.objects.exists()
