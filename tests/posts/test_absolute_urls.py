"""Stored post HTML with absolute URLs, for feeds: only root-relative link and image URLs
change, and everything else comes back exactly as stored."""

from __future__ import annotations

import pytest

from forum.posts import markup
from tests.posts.test_attachment_markup import REFS
from tests.posts.test_markup import HOSTILE, HOSTILE_MENTIONS, MEMBERS

ORIGIN = "https://forum.example"


@pytest.mark.parametrize("source", HOSTILE + HOSTILE_MENTIONS)
def test_the_corpus_comes_back_as_stored(source: str) -> None:
    # No origin to add: what remains is the parsing and writing out again.
    html = markup.render(source, members=MEMBERS, attachments=REFS).html
    assert markup.absolute_urls(html, "") == html


def test_links_images_and_mentions_become_absolute() -> None:
    source = "See [this post](/post/12/), @bob and ![the ridge](attachment:7)"
    html = markup.render(source, members=MEMBERS, attachments=REFS).html
    absolute = markup.absolute_urls(html, ORIGIN + "/")
    assert 'href="https://forum.example/post/12/"' in absolute
    assert 'href="https://forum.example/profile/7-bob/"' in absolute
    assert 'href="https://forum.example/media/attachments/2026/05/abc.jpg"' in absolute
    assert 'src="https://forum.example/media/attachments/2026/05/abc-display.jpg"' in absolute
    assert 'href="/' not in absolute and 'src="/' not in absolute
    assert absolute == html.replace('="/', f'="{ORIGIN}/')


def test_other_urls_and_text_are_left_alone() -> None:
    source = (
        "[elsewhere](https://example.com/a) [their host](//cdn.example/x.png) "
        "[here](#post-3) [mail](mailto:a@example.com)\n\n"
        '`<a href="/not/a/link">` and "=/text" in words'
    )
    html = markup.render(source).html
    assert markup.absolute_urls(html, ORIGIN) == html


def test_html_without_a_relative_url_is_returned_untouched() -> None:
    html = "<p>Plain &amp; simple.</p>"
    assert markup.absolute_urls(html, ORIGIN) is html
