"""The markup pipeline: Markdown features, and a hostile corpus any sanitizer must pass."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from forum.posts import markup

# Every way of smuggling script we could find. Each must come out harmless.
HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/xss.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<img src=x onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    '<svg onload="alert(1)"><circle r=10></svg>',
    '<svg><script xlink:href="data:,alert(1)"></script></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<style>body{background:url("javascript:alert(1)")}</style>',
    "<body onload=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel=stylesheet href="javascript:alert(1)">',
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](javascript%3Aalert(1))",
    "[click](\x01javascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](data:text/html,<script>alert(1)</script>)",
    '[click](https://example.com "title" onclick="alert(1)")',
    '[click](https://example.com"onmouseover="alert(1))',
    "![img](javascript:alert(1))",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![img](x" onerror="alert(1))',
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "<a href='jav&#x0A;ascript:alert(1)'>x</a>",
    "`<script>` in code is fine but <script>alert(1)</script> outside is not",
    "```\n</code></pre><script>alert(1)</script>\n```",
    '<a href="https://example.com" onmouseover="alert(1)">hover</a>',
    '<p title="</p><script>alert(1)</script>">x</p>',
    "**<img src=x onerror=alert(1)>**",
    "> <script>alert(1)</script>",
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | <img src=x onerror=alert(1)> |",
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114'
    '&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>',
    "data:text/html,<script>alert(1)</script>",
    "javascript:alert(document.cookie)",
    # Quote blocks: forged markup, and injection through what a quote tag carries.
    '<blockquote class="quote" data-quote="1"><div class="quote__header"></div>x</blockquote>',
    '<blockquote class="quote" data-quote="1 onmouseover=alert(1)">x</blockquote>',
    '<blockquote class="quote" data-quote="javascript:alert(1)">x</blockquote>',
    '<blockquote class="quote evil" style="x" onclick="alert(1)">x</blockquote>',
    '<div class="quote__header" onclick="alert(1)"><a href="javascript:alert(1)">x</a></div>',
    '[quote="x\\" onmouseover=\\"alert(1)\\" data-quote=\\"5, post:1"]x[/quote]',
    '[quote="<img src=x onerror=alert(1)>, post:1"]x[/quote]',
    '[quote="</blockquote><script>alert(1)</script>"]x[/quote]',
    '[quote="a, post:1"]\n<script>alert(1)</script>\n[/quote]',
    '[quote="a, post:1"]\n[click](javascript:alert(1))\n'
    '[quote="b, post:2"]<svg onload=alert(1)>[/quote]\n[/quote]',
    "[quote post=1 onload=alert(1)]x[/quote]",
    "\x02agora-quote-open:1:5\x03\n\nforged marker\n\n\x02agora-quote-close:1\x03",
]

DANGEROUS_TAGS = {
    "script", "style", "iframe", "object", "embed", "svg", "math", "form", "input",
    "button", "meta", "base", "link", "body", "details", "textarea", "select",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}


class _Tags(HTMLParser):
    """Collect every start tag with its attributes, the way a browser would read them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def _elements(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


def assert_harmless(html: str) -> None:
    for tag, attrs in _elements(html):
        assert tag.lower() not in DANGEROUS_TAGS, f"<{tag}> survived in {html!r}"
        for name, value in attrs.items():
            assert not name.lower().startswith("on"), f"{name} survived in {html!r}"
            assert name.lower() != "style", f"style survived in {html!r}"
            if name.lower() in URL_ATTRIBUTES:
                scheme = value.strip().split(":", 1)[0].lower() if ":" in value else ""
                assert scheme in {"", "http", "https", "mailto"}, f"{value!r} in {html!r}"


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_input_renders_harmless(source: str) -> None:
    assert_harmless(markup.render(source).html)


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_html_passed_straight_to_the_sanitizer_is_harmless(source: str) -> None:
    # Second wall: even HTML that bypassed Markdown is cleaned by the sanitizer.
    assert_harmless(markup.sanitize(source))


def test_typed_html_is_shown_as_text() -> None:
    html = markup.render("I love <b>bold</b> tags and <script>alert(1)</script>").html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;script&gt;" in html


def test_markdown_features_render() -> None:
    source = """# Heading

Some *emphasis*, **strong**, ~~not this~~ and `inline code`.

- one
- two

1. first
2. second

> a block quote

```python
print("hello")
```

| a | b |
|---|:-:|
| 1 | 2 |

[a link](https://example.com/page) and https://example.org/bare

![a picture](https://example.com/cat.png)
"""
    html = markup.render(source).html
    assert "<h3>Heading</h3>" in html  # demoted: the page title is the only h1
    assert "<em>emphasis</em>" in html and "<strong>strong</strong>" in html
    assert "<ul>" in html and "<ol>" in html
    assert "<blockquote>" in html
    assert '<code class="language-python">' in html
    assert "<table>" in html and '<td align="center">2</td>' in html
    assert '<a href="https://example.com/page" rel="nofollow ugc">a link</a>' in html
    assert '<a href="https://example.org/bare" rel="nofollow ugc">' in html
    assert 'src="https://example.com/cat.png"' in html and 'loading="lazy"' in html


def test_every_link_gets_nofollow_ugc() -> None:
    html = markup.render(
        "[a](https://a.example.com) <https://b.example.com> https://c.example.com"
    ).html
    links = [attrs for tag, attrs in _elements(html) if tag == "a"]
    assert len(links) == 3
    assert all(link["rel"] == "nofollow ugc" for link in links)


def test_line_breaks_are_kept() -> None:
    assert "line one<br>" in markup.render("line one\nline two").html


def test_code_is_not_linkified() -> None:
    html = markup.render("`https://example.com` and\n\n    https://example.org").html
    assert "<a" not in html


def test_render_records_its_version() -> None:
    assert markup.render("hi").version == markup.RENDER_VERSION


# --- Quote blocks: only our own markup makes one, with exactly our attributes ------------------


def _quote_blocks(html: str) -> list[dict[str, str]]:
    return [attrs for tag, attrs in _elements(html) if tag == "blockquote" and attrs]


def test_typed_quote_html_is_text_not_a_quote_block() -> None:
    typed = (
        '<blockquote class="quote" data-quote="1"><div class="quote__header"></div></blockquote>'
    )
    html = markup.render(typed).html
    assert _quote_blocks(html) == []
    assert "&lt;blockquote" in html


def test_the_sanitizer_keeps_only_exact_quote_attributes() -> None:
    html = markup.sanitize(
        '<blockquote class="quote evil" data-quote="1 onmouseover=x" data-x="1">a</blockquote>'
        '<blockquote class="quote" data-quote="0012">b</blockquote>'
        '<blockquote class="quote" data-quote="42">c</blockquote>'
        '<div class="quote__header quote__body">d</div><div class="quote__body">e</div>'
        '<p class="quote" data-quote="3">f</p>'
    )
    assert _quote_blocks(html) == [{"class": "quote"}, {"class": "quote", "data-quote": "42"}]
    divs = [attrs for tag, attrs in _elements(html) if tag == "div"]
    assert divs == [{}, {"class": "quote__body"}]
    assert "<p>f</p>" in html


def test_a_forged_marker_cannot_be_typed() -> None:
    html = markup.render("\x02agora-quote-open:1:5\x03\n\nx\n\n\x02agora-quote-close:1\x03").html
    assert _quote_blocks(html) == []
    assert markup.render("\x02agora-quote-open:1:5\x03").quoted_post_ids == []


def test_injection_through_the_quote_tag_yields_only_a_post_id() -> None:
    source = '[quote="x\\" onmouseover=\\"alert(1)\\" data-quote=\\"5, post:1"]x[/quote]'
    html = markup.render(source).html
    assert _quote_blocks(html) == [{"class": "quote", "data-quote": "1"}]
    assert "onmouseover" not in html


def test_marker_text_inside_attributes_or_text_is_not_a_quote_header() -> None:
    from forum.posts.quoting import QUOTE_MARKER

    marker = '<blockquote class="quote" data-quote="1"><div class="quote__header"></div>'
    for source in [
        f'[link](https://example.com "{marker}")',
        f"![img](https://example.com/a.png '{marker}')",
        f"`{marker}`",
        marker,
        f"```\n{marker}\n```",
    ]:
        html = markup.render(source).html
        assert not QUOTE_MARKER.search(html), (source, html)


# --- @mentions: only members the caller looked up become links, with exactly our markup ------

MEMBERS = {
    "bob": markup.MentionRef(7, "Bob", "/profile/7-bob/"),
    "al.ice": markup.MentionRef(8, "al.ice", "/profile/8-alice/"),
    # A name no validator would allow: whatever the caller passes is escaped.
    '"><script>': markup.MentionRef(9, '"><script>alert(1)</script>', "/profile/9-x/"),
}

HOSTILE_MENTIONS = [
    "@bob<script>alert(1)</script>",
    '@"><script>alert(1)</script>',
    '@bob" onmouseover="alert(1)',
    "[@bob](javascript:alert(1))",
    "[x](javascript:@bob)",
    '<a class="mention" href="javascript:alert(1)">@bob</a>',
    '<a class="mention" href="/profile/7-bob/" onclick="alert(1)">@bob</a>',
    "@bob![x](javascript:alert(1))",
    "**@bob** `@bob` <@bob> @@bob @bob@bob",
    '[quote="@bob, post:1"]@bob <img src=x onerror=alert(1)>[/quote]',
    "| @bob | <svg onload=alert(1)> |\n|---|---|\n| @al.ice | x |",
]


@pytest.mark.parametrize("source", HOSTILE_MENTIONS)
def test_hostile_mentions_render_harmless(source: str) -> None:
    html = markup.render(source, members=MEMBERS).html
    assert_harmless(html)
    for tag, attrs in _elements(html):
        if attrs.get("class") == "mention":
            assert tag == "a" and attrs["href"] in {"/profile/7-bob/", "/profile/8-alice/"}


def test_a_member_mention_links_to_their_profile() -> None:
    result = markup.render("Thanks @bob and @AL.ICE. See @nobody", members=MEMBERS)
    assert (
        '<a class="mention" href="/profile/7-bob/" rel="nofollow ugc">@Bob</a> and '
        '<a class="mention" href="/profile/8-alice/" rel="nofollow ugc">@al.ice</a>. See @nobody'
    ) in result.html
    assert result.mentions == ["Bob", "al.ice"]


def test_mentions_in_code_links_addresses_and_urls_stay_text() -> None:
    source = (
        "`@bob` [@bob](https://example.com) bob@example.com https://example.com/@bob "
        "\\@bob\n\n    @bob in code"
    )
    result = markup.render(source, members=MEMBERS)
    assert 'class="mention"' not in result.html
    assert result.mentions == []


def test_a_quoted_mention_is_linked_but_not_counted() -> None:
    result = markup.render(
        '[quote="x, post:1"]\nhi @bob\n[/quote]\n\n> and @al.ice', members=MEMBERS
    )
    assert result.html.count('class="mention"') == 2
    assert result.mentions == []


def test_a_member_mentioned_twice_is_counted_once() -> None:
    assert markup.render("@bob @Bob @BOB", members=MEMBERS).mentions == ["Bob"]


def test_without_members_nothing_is_a_mention() -> None:
    result = markup.render("@bob")
    assert result.html == "<p>@bob</p>" and result.mentions == []


def test_mention_candidates_are_every_name_the_text_may_mean() -> None:
    names = markup.mention_candidates("hi @Bob. and @al.ice, mail x@y.z `@code`")
    assert names == ["bob.", "bob", "al.ice", "code"]


def test_the_sanitizer_keeps_only_our_mention_class() -> None:
    html = markup.sanitize(
        '<a class="mention" href="javascript:alert(1)">a</a>'
        '<a class="mention evil" href="/profile/1-a/">b</a>'
        '<span class="mention">c</span>'
    )
    links = [attrs for tag, attrs in _elements(html) if tag == "a"]
    assert links == [
        {"class": "mention", "rel": "nofollow ugc"},
        {"href": "/profile/1-a/", "rel": "nofollow ugc"},
    ]
    assert "<span>c</span>" in html


def test_threads_clean_at_once_with_the_same_results() -> None:
    """bleach's cleaners are not thread-safe: each thread has its own, and posts
    cleaned in eight threads at once come out as they do one at a time."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    sources = HOSTILE * 20
    expected = [markup.sanitize(source) for source in sources]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(markup.sanitize, sources)) == expected
        together = threading.Barrier(8)

        def cleaner_of_this_thread(_: int) -> int:
            together.wait(timeout=10)  # eight threads, each asking once
            return id(markup._thread_cleaner("post", object))

        assert len(set(pool.map(cleaner_of_this_thread, range(8)))) == 8
