"""The markup pipeline's attachment references: only the post's own images become
images, sized and linked; everything else about them stays harmless."""

from __future__ import annotations

from forum.posts import markup
from forum.posts.markup import AttachmentRef

PHOTO = AttachmentRef(
    url="/media/attachments/2026/05/abc.jpg",
    display_url="/media/attachments/2026/05/abc-display.jpg",
    width=1200,
    height=800,
    name="ridge.jpg",
)
REFS = {7: PHOTO}
LINKED = (
    '<a class="attachment" href="/media/attachments/2026/05/abc.jpg" rel="nofollow ugc">'
    '<img alt="{alt}" height="800" src="/media/attachments/2026/05/abc-display.jpg" '
    'width="1200" loading="lazy"></a>'
)


def test_reference_becomes_the_linked_display_image():
    html = markup.render("Look: ![the ridge](attachment:7)", attachments=REFS).html
    assert html == "<p>Look: " + LINKED.format(alt="the ridge") + "</p>"


def test_empty_alt_falls_back_to_the_file_name():
    html = markup.render("![](attachment:7)", attachments=REFS).html
    assert LINKED.format(alt="ridge.jpg") in html


def test_unplaced_images_are_shown_after_the_text():
    html = markup.render("No image in the text.", attachments=REFS).html
    assert html == (
        "<p>No image in the text.</p>\n"
        '<div class="attachments">' + LINKED.format(alt="ridge.jpg") + "</div>"
    )


def test_reference_to_an_image_of_another_post_keeps_only_its_words():
    html = markup.render("![someone else's](attachment:8)", attachments=REFS).html
    assert html.startswith("<p><span>someone else's</span></p>")
    # Anything else with the scheme is an ordinary image whose URL the sanitizer drops.
    html = markup.render("![x](attachment:7x)").html
    assert html == '<p><img alt="x" loading="lazy"></p>'


def test_image_inside_a_link_keeps_that_link_only():
    html = markup.render("[![ridge](attachment:7)](https://example.com/)", attachments=REFS).html
    assert html.count("<a ") == 1 and 'href="https://example.com/"' in html
    assert 'src="/media/attachments/2026/05/abc-display.jpg"' in html


def test_alt_text_and_names_are_escaped():
    hostile = AttachmentRef(
        url=PHOTO.url, display_url=PHOTO.display_url, width=1, height=1,
        name='"><script>alert(1)</script>',
    )  # fmt: skip
    html = markup.render('![" onerror="alert(1)](attachment:7) ', attachments={7: hostile}).html
    assert "<script" not in html and 'onerror="' not in html.replace('alt="&quot; onerror', "")
    gallery = markup.render("Text.", attachments={7: hostile}).html
    assert "<script" not in gallery and 'alt="&quot;&gt;&lt;script&gt;' in gallery


def test_the_sanitizer_still_checks_attachment_urls():
    bad = AttachmentRef(
        url="javascript:alert(1)", display_url="data:image/svg+xml,<svg onload=alert(1)>",
        width=10, height=10, name="x.png",
    )  # fmt: skip
    html = markup.render("![x](attachment:1)", attachments={1: bad}).html
    assert "javascript:" not in html and "data:" not in html


def test_members_cannot_forge_the_attributes_attachments_use():
    source = (
        '<a class="attachment" href="/x">x</a> <img src="/x" width="9" height="9"> '
        '<div class="attachments">y</div>'
    )
    html = markup.render(source).html
    assert "<a " not in html and "<img" not in html and "<div" not in html
    assert "&lt;a class=" in html


def test_signatures_never_show_attachments():
    assert markup.render_signature("hi ![x](attachment:7)") == "<p>hi x</p>"
