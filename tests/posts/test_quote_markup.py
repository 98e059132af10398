"""The quote parser (forum.posts.markup) and the header renderer (forum.posts.quoting)."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.utils import timezone

from forum.posts import markup, quoting
from forum.posts.models import Post
from forum.threads.models import Topic
from tests.factories import ForumFactory, UserFactory, make_post, make_topic


class _Quotes(HTMLParser):
    """Nesting depth and attributes of every quote block, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.quotes: list[tuple[int, dict[str, str | None]]] = []
        self.stack: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "blockquote":
            attributes = dict(attrs)
            is_quote = attributes.get("class") == "quote"
            if is_quote:
                self.quotes.append((self.depth, attributes))
                self.depth += 1
            self.stack.append(is_quote)

    def handle_endtag(self, tag: str) -> None:
        if tag == "blockquote" and self.stack.pop():
            self.depth -= 1


def _quotes(html: str) -> list[tuple[int, dict[str, str | None]]]:
    parser = _Quotes()
    parser.feed(html)
    return parser.quotes


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


# --- The parser ---------------------------------------------------------------------


def test_a_quote_keeps_the_post_id_and_nothing_the_writer_typed():
    result = markup.render(
        '[quote="spidermike007, post:123"]\nHello **there**\n[/quote]\n\nAgreed.'
    )
    html = result.html
    assert result.quoted_post_ids == [123]
    assert html.startswith('<blockquote class="quote" data-quote="123">')
    assert '<div class="quote__header"></div>' in html
    assert '<div class="quote__body">\n<p>Hello <strong>there</strong></p>' in html
    assert "spidermike007" not in html  # the header is filled at view time, from the post
    assert html.endswith("<p>Agreed.</p>")


def test_quotes_nest():
    source = (
        '[quote="a, post:1"]\nouter\n[quote="b, post:2"]\ninner\n[/quote]\nafter\n[/quote]\nmine'
    )
    result = markup.render(source)
    assert result.quoted_post_ids == [1, 2]
    assert [(depth, attrs["data-quote"]) for depth, attrs in _quotes(result.html)] == [
        (0, "1"),
        (1, "2"),
    ]
    assert _text(result.html) == "outer inner after mine"


def test_tags_on_one_line_with_the_text_work():
    html = markup.render('[quote="a, post:4"]short[/quote] and my answer').html
    assert [attrs["data-quote"] for _, attrs in _quotes(html)] == ["4"]
    assert _text(html) == "short and my answer"


def test_tags_are_case_insensitive_and_single_quotes_work():
    html = markup.render("[QUOTE='a, post: 9']x[/Quote]").html
    assert [attrs["data-quote"] for _, attrs in _quotes(html)] == ["9"]


def test_a_quote_without_a_post_has_no_header_and_no_id():
    for source in ["[quote]just words[/quote]", '[quote="spidermike007"]words[/quote]']:
        result = markup.render(source)
        assert _quotes(result.html) == [(0, {"class": "quote"})]
        assert "quote__header" not in result.html
        assert result.quoted_post_ids == []
        assert "spidermike007" not in result.html


def test_tags_that_do_not_pair_stay_text():
    assert markup.render("[quote] never closed").html == "<p>[quote] never closed</p>"
    assert markup.render("a stray [/quote] tag").html == "<p>a stray [/quote] tag</p>"
    html = markup.render("[quote]a[/quote][/quote]").html
    assert len(_quotes(html)) == 1 and "[/quote]" in html


def test_an_opening_tag_counts_only_at_the_start_of_a_line():
    html = markup.render("I said [quote]this[/quote] inline").html
    assert _quotes(html) == []
    assert "[quote]this[/quote]" in html


def test_tags_in_code_stay_code():
    fenced = markup.render('```\n[quote="a, post:1"]\nx\n[/quote]\n```').html
    assert _quotes(fenced) == [] and "[quote=" in fenced
    indented = markup.render("    [quote]code[/quote]").html
    assert _quotes(indented) == [] and "<pre><code>[quote]code[/quote]" in indented
    inline = markup.render('[quote="a, post:1"]see `[/quote]` here\n[/quote]').html
    assert len(_quotes(inline)) == 1 and "<code>[/quote]</code>" in inline


def test_code_inside_a_quote_is_kept():
    html = markup.render('[quote="a, post:3"]\n```python\nprint("[/quote]")\n```\n[/quote]').html
    assert len(_quotes(html)) == 1
    assert '<code class="language-python">print(&quot;[/quote]&quot;)' in html


def test_a_markdown_quote_after_a_quote_block_stays_apart():
    html = markup.render("[quote]a[/quote]\n\n> b").html
    assert "<blockquote>\n<p>b</p>\n</blockquote>" in html
    assert _quotes(html) == [(0, {"class": "quote"})]


def test_deep_nesting_stops_at_the_limit():
    depth = markup.MAX_QUOTE_DEPTH + 5
    source = "".join(f'[quote="m, post:{n}"]\n' for n in range(1, depth + 1)) + "core\n"
    source += "[/quote]\n" * depth
    result = markup.render(source)
    assert len(_quotes(result.html)) == markup.MAX_QUOTE_DEPTH
    assert "core" in result.html


def test_each_quoted_post_is_noted_once():
    source = (
        '[quote="a, post:5"]x[/quote]\n[quote="a, post:5"]y[/quote]\n[quote="b, post:6"]z[/quote]'
    )
    assert markup.render(source).quoted_post_ids == [5, 6]


def test_the_name_is_never_markup():
    source = '[quote="<script>alert(1)</script> onmouseover=alert(1), post:7"]x[/quote]'
    html = markup.render(source).html
    assert "script" not in html and "onmouseover" not in html
    assert [attrs for _, attrs in _quotes(html)] == [{"class": "quote", "data-quote": "7"}]


# --- The renderer -----------------------------------------------------------------


def _quote_of(post: Post, extra: str = "") -> str:
    return (
        f'[quote="{post.author.username}, post:{post.pk}{extra}"]\n{post.body}\n[/quote]\n\nReply.'
    )


def _shown(reply: Post, user) -> str:
    quoting.attribute_quotes([reply], user)
    return str(reply.display_html)


def _header(html: str) -> str:
    found = re.search(r'<div class="quote__header">(.*?)</div>', html, re.S)
    return found.group(1) if found else ""


@pytest.mark.django_db
def test_header_names_the_author_and_the_time_relative_to_now():
    author = UserFactory(username="spidermike007")
    topic = make_topic(author=author, created_at=timezone.now() - timedelta(minutes=8))
    first = Post.objects.get(pk=topic.first_post_id)
    reply = make_post(topic, body=_quote_of(first))
    html = _shown(reply, AnonymousUser())
    header = _header(html)
    assert _text(header) == "8 minutes ago, spidermike007 said:"
    assert f'href="/post/{first.pk}/"' in header
    assert f'href="{author.get_absolute_url()}"' in header
    assert re.search(
        r'<time datetime="[^"]+" title="[^"]+" data-relative>8 minutes ago</time>', header
    )


@pytest.mark.django_db
def test_stored_html_never_goes_stale():
    topic = make_topic(created_at=timezone.now() - timedelta(minutes=8))
    first = Post.objects.get(pk=topic.first_post_id)
    reply = make_post(topic, body=_quote_of(first))
    stored = reply.body_html
    Post.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=3))
    reply.refresh_from_db()
    assert reply.body_html == stored
    assert "3 hours ago" in _header(_shown(reply, AnonymousUser()))


@pytest.mark.django_db
def test_forged_name_and_time_change_nothing():
    real = UserFactory(username="realauthor")
    UserFactory(username="spidermike007")
    topic = make_topic(author=real, body="The real words.")
    source = Post.objects.get(pk=topic.first_post_id)
    forged = f'[quote="spidermike007, post:{source.pk}, time:946684800"]\nFake words\n[/quote]'
    reply = make_post(topic, body=forged)
    header = _text(_header(_shown(reply, AnonymousUser())))
    assert header == "just now, realauthor said:"
    assert "spidermike007" not in header


@pytest.mark.django_db
def test_a_hidden_source_keeps_its_text_without_attribution():
    topic = make_topic(body="Secret source.")
    source = Post.objects.get(pk=topic.first_post_id)
    reply = make_post(topic, body=_quote_of(source))
    Post.objects.filter(pk=source.pk).update(hidden=True)
    for reader in [AnonymousUser(), UserFactory()]:
        html = _shown(reply, reader)
        assert "Secret source." in html
        assert 'class="quote__header"' not in html
        assert "data-quote" not in html and f"/post/{source.pk}/" not in html
    moderator = UserFactory()
    moderator.user_permissions.add(Permission.objects.get(codename="hide_post"))
    moderator = type(moderator).objects.get(pk=moderator.pk)
    assert "said:" in _header(_shown(reply, moderator))


@pytest.mark.django_db
def test_a_source_in_a_forum_the_reader_cannot_read_is_not_attributed():
    members_only = make_topic(ForumFactory(read_access="members"), body="Members only.")
    source = Post.objects.get(pk=members_only.first_post_id)
    public = make_topic()
    reply = make_post(public, body=_quote_of(source))
    assert _header(_shown(reply, AnonymousUser())) == ""
    assert "Members only." in _shown(reply, AnonymousUser())
    assert "said:" in _header(_shown(reply, UserFactory()))


@pytest.mark.django_db
def test_a_source_in_a_hidden_topic_is_not_attributed():
    source_topic = make_topic(body="From a topic now hidden.")
    source = Post.objects.get(pk=source_topic.first_post_id)
    reply = make_post(make_topic(), body=_quote_of(source))
    Topic.objects.filter(pk=source_topic.pk).update(hidden=True)
    html = _shown(reply, UserFactory())
    assert _header(html) == "" and "From a topic now hidden." in html


@pytest.mark.django_db
def test_a_deleted_source_keeps_its_text():
    topic = make_topic(replies=1)
    source = Post.objects.get(topic=topic, position=2)
    reply = make_post(topic, body=_quote_of(source))
    source.delete()
    html = _shown(reply, UserFactory())
    assert "Reply number 1." in html
    assert _header(html) == "" and "data-quote" not in html


@pytest.mark.django_db
def test_a_former_members_post_is_attributed_to_a_former_member():
    topic = make_topic(body="Old words.")
    source = Post.objects.get(pk=topic.first_post_id)
    reply = make_post(topic, body=_quote_of(source))
    Post.objects.filter(pk=source.pk).update(author=None)
    assert _text(_header(_shown(reply, AnonymousUser()))) == "just now, a former member said:"


@pytest.mark.django_db
def test_nested_quotes_each_get_their_own_header():
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    topic = make_topic(author=alice, body="Alice's point.")
    first = Post.objects.get(pk=topic.first_post_id)
    second = make_post(topic, author=bob, body=_quote_of(first))
    third = make_post(topic, body=_quote_of(second))
    html = _shown(third, AnonymousUser())
    headers = [_text(h) for h in re.findall(r'<div class="quote__header">(.*?)</div>', html, re.S)]
    assert headers == ["just now, bob said:", "just now, alice said:"]


@pytest.mark.django_db
def test_one_query_for_every_quote_on_a_page(django_assert_num_queries):
    topic = make_topic()
    sources = [make_post(topic) for _ in range(5)]
    replies = [make_post(topic, body=_quote_of(s)) for s in sources]
    replies = list(Post.objects.filter(pk__in=[r.pk for r in replies]))
    with django_assert_num_queries(1):
        quoting.attribute_quotes(replies, AnonymousUser())
    plain = list(Post.objects.filter(pk__in=[s.pk for s in sources]))
    with django_assert_num_queries(0):
        quoting.attribute_quotes(plain, AnonymousUser())


# --- Writing quotes -------------------------------------------------------------------


@pytest.mark.django_db
def test_quote_markup_round_trips_to_a_quote_of_the_post():
    topic = make_topic(body="Some **bold** words.")
    source = Post.objects.select_related("author").get(pk=topic.first_post_id)
    text = quoting.quote_markup(source)
    assert (
        text
        == f'[quote="{source.author.username}, post:{source.pk}"]\nSome **bold** words.\n[/quote]\n'
    )
    result = markup.render(text)
    assert result.quoted_post_ids == [source.pk]
    assert "<strong>bold</strong>" in result.html
