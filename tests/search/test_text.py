"""Plain text for the index and the highlighted excerpts shown in results."""

from __future__ import annotations

from forum.posts import markup
from forum.search.text import (
    excerpt,
    highlight,
    marked_excerpt_to_html,
    marked_to_html,
    plain_text,
)


def test_plain_text_drops_markup_and_keeps_words_apart():
    html = markup.render("# Fog\n\nWatering in the **morning**.\n\n- one\n- two & three").html
    assert plain_text(html) == "Fog Watering in the morning. one two & three"


def test_plain_text_decodes_entities_and_keeps_code():
    html = markup.render("Use `a < b` and <script>alert(1)</script>").html
    assert plain_text(html) == "Use a < b and <script>alert(1)</script>"


def test_plain_text_removes_the_highlight_markers():
    assert plain_text("<p>a\x02b\x03c</p>") == "abc"


def test_highlight_escapes_text_and_marks_every_match():
    html = highlight("<b>Tripod</b> tripods and TRIPOD", ["tripod"])
    assert html == (
        "&lt;b&gt;<mark>Tripod</mark>&lt;/b&gt; <mark>tripod</mark>s and <mark>TRIPOD</mark>"
    )


def test_highlight_prefers_the_longest_term():
    assert highlight("light meter", ["light", "light meter"]) == "<mark>light meter</mark>"


def test_marked_text_cannot_open_a_mark_it_does_not_close():
    assert marked_to_html("a \x02<i>b</i>\x03 c \x02d") == "a <mark>&lt;i&gt;b&lt;/i&gt;</mark> c d"


def test_excerpt_is_a_window_around_the_first_match():
    text = " ".join(f"word{n}" for n in range(200)) + " needle " + "tail " * 100
    html = excerpt(text, ["needle"])
    assert html.startswith("… ") and html.endswith(" …")
    assert "<mark>needle</mark>" in html
    assert len(html) < 320


def test_excerpt_of_a_short_text_is_the_whole_text():
    assert excerpt("just a few words", ["few"]) == "just a <mark>few</mark> words"
    assert excerpt("no match here", ["absent"]) == "no match here"


def test_marked_text_loses_the_not_a_tag_markers():
    assert marked_to_html("<\x01b> \x02<\x01i>\x03") == "&lt;b&gt; <mark>&lt;i&gt;</mark>"


def test_headline_excerpt_gets_ellipses_where_it_cuts_the_text():
    text = "Alpha beta gamma. The fog was lifting at dawn over the long grey river bank."
    marked = "The fog was \x02lifting\x03 at dawn over the long"
    html = marked_excerpt_to_html(marked, text[:60], text[-60:])
    assert html == "… The fog was <mark>lifting</mark> at dawn over the long …"
    whole = "The fog was \x02lifting\x03."
    assert marked_excerpt_to_html(whole, "The fog was lifting.", "The fog was lifting.") == (
        "The fog was <mark>lifting</mark>."
    )
