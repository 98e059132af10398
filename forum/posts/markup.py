"""Markdown source -> sanitized HTML, the only place that imports bleach.

A post is rendered once, when it is saved, and the result is stored with
``RENDER_VERSION``; page views never run Markdown. Bump the version when the
output of this pipeline changes and run ``manage.py rerender_posts``.

The pipeline:
1. python-markdown with raw HTML disabled (typed tags come out as text),
   fenced code, tables, sane lists and hard line breaks; headings are demoted
   so a post never outranks the page's own headings;
2. bleach with an allowlist of tags, attributes and URL schemes
   (http, https, mailto); bare URLs become links;
3. a last filter that sets ``rel="nofollow ugc"`` on links and
   ``loading="lazy"`` on images.

Attached images are written ``![alt](attachment:<id>)``. ``render`` is given
the post's attachments and turns each reference into a sized display copy
linking to the full image; attachments the text does not mention are shown
after it. A reference to anything else keeps only its words.

Quotes (``[quote="name, post:123"] … [/quote]``, nesting allowed) become
``<blockquote class="quote" data-quote="123">`` with an empty
``<div class="quote__header">`` placeholder and the quoted text in a
``<div class="quote__body">``. Only the post id is kept from what the writer
typed: the header (author, time, link) is filled at view time from the
referenced post by ``forum.posts.quoting``, so the stored HTML never names
anybody and never goes stale.

Mentions: ``@name`` becomes ``<a class="mention" href="/profile/<id>-<slug>/">@name</a>``
when ``render`` is given that member (``members``, looked up by the caller
in one query from ``mention_candidates``); any other ``@word`` stays text.
Mentions in code and links stay text; those in quotes are linked but not
counted in ``RenderResult.mentions`` (a quoted mention is not a new one). A
backslash before the "@" keeps a name from being a mention.

Keeping every sanitizer call here, proven by the hostile corpus in
``tests/posts/test_markup.py``, makes replacing bleach a one-module change.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar
from xml.etree.ElementTree import Element, SubElement

import bleach
import markdown
from bleach.html5lib_shim import Filter
from bleach.linkifier import LinkifyFilter, build_url_re
from markdown.blockprocessors import BlockProcessor, BlockQuoteProcessor
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

RENDER_VERSION = 3  # 2: [quote] blocks; 3: @mentions

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "div", "em", "h3", "h4",
        "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "span",
        "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
_CODE_CLASS = re.compile(r"^language-[A-Za-z0-9_+-]{1,30}$")
_POST_ID = re.compile(r"^[1-9][0-9]{0,17}$")
QUOTE_DIV_CLASSES = frozenset({"quote__header", "quote__body"})


LINK_CLASSES = frozenset({"attachment", "mention"})


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name in {"href", "title"} or (name == "class" and value in LINK_CLASSES)
    if tag == "img":
        if name in {"width", "height"}:  # only attachments carry them (no raw HTML)
            return value.isdigit() and len(value) <= 5
        return name in {"src", "alt", "title"}
    if tag in {"td", "th"}:
        return name == "align" and value in {"left", "center", "right"}
    if tag == "code":
        return name == "class" and bool(_CODE_CLASS.match(value))
    if tag == "abbr":
        return name == "title"
    if tag == "ol":
        return name == "start" and value.isdigit()
    # The quote block, and nothing else: exact class names, a numeric post id.
    if tag == "blockquote":
        if name == "class":
            return value == "quote"
        return name == "data-quote" and bool(_POST_ID.match(value))
    if tag == "div":  # the quote block's parts and the gallery of attached images
        return name == "class" and (value in QUOTE_DIV_CLASSES or value == "attachments")
    return False


class _DemoteHeadings(Treeprocessor):
    """h1 -> h3 ... h4+ -> h6: the page title stays the only h1."""

    def run(self, root: Element) -> None:
        for element in root.iter():
            if re.fullmatch(r"h[1-6]", element.tag):
                element.tag = f"h{min(6, int(element.tag[1]) + 2)}"


@dataclass(frozen=True)
class AttachmentRef:
    """An attached image as the renderer shows it: URLs from our media storage."""

    url: str
    display_url: str
    width: int
    height: int
    name: str


_ATTACHMENT_SRC = re.compile(r"^attachment:(\d{1,18})$")


def _attachment_element(ref: AttachmentRef, alt: str, *, linked: bool = True) -> Element:
    image = Element(
        "img",
        {"src": ref.display_url, "alt": alt, "width": str(ref.width), "height": str(ref.height)},
    )
    if not linked:
        return image
    link = Element("a", {"href": ref.url, "class": "attachment"})
    link.append(image)
    return link


class _Attachments(Treeprocessor):
    """``![alt](attachment:<id>)`` -> the attached image; the rest are appended."""

    def __init__(self, md: markdown.Markdown, refs: Mapping[int, AttachmentRef]) -> None:
        super().__init__(md)
        self.refs = refs

    def run(self, root: Element) -> None:
        shown: set[int] = set()
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                match = _ATTACHMENT_SRC.match(child.get("src", "")) if child.tag == "img" else None
                if match is None:
                    continue
                ref = self.refs.get(int(match.group(1)))
                alt = child.get("alt") or (ref.name if ref else "")
                if ref is None:  # not an image of this post: only its words remain
                    replacement = Element("span")
                    replacement.text = alt
                else:
                    # An image already inside a link keeps that link.
                    replacement = _attachment_element(ref, alt, linked=parent.tag != "a")
                    shown.add(int(match.group(1)))
                replacement.tail = child.tail
                parent[index] = replacement
        rest = [ref for pk, ref in self.refs.items() if pk not in shown]
        if rest:
            gallery = SubElement(root, "div", {"class": "attachments"})
            for ref in rest:
                gallery.append(_attachment_element(ref, ref.name))


# --- Quotes -------------------------------------------------------------------
#
# ``[quote]``, ``[quote="name"]`` and ``[quote="name, post:123"]`` open a quote
# at the start of a line; ``[/quote]`` closes it anywhere on a line. Tags that
# do not pair up stay literal text. The preprocessor pairs the tags and puts
# each pair's ends on lines of their own as markers made of STX/ETX (which
# Markdown strips from the source, so nobody can type one); the block
# processor then turns the lines between two markers into a quote element and
# parses them as Markdown, so quotes nest.

MAX_QUOTE_DEPTH = 10
_OPEN_TAG = re.compile(r"\[quote(?:=(?P<arg>[^\]\n]*)|\s+(?P<attrs>[^\]\n]*))?\]", re.IGNORECASE)
_CLOSE_TAG = re.compile(r"\[/quote\]", re.IGNORECASE)
_QUOTED_POST = re.compile(r"\bpost\s*[:=]\s*[\"']?\s*(\d{1,18})\b", re.IGNORECASE)
_MARK_OPEN = "\x02agora-quote-open:{pair}:{post}\x03"
_MARK_CLOSE = "\x02agora-quote-close:{pair}\x03"
_MARK_OPEN_RE = re.compile(r"^\x02agora-quote-open:(\d+):(\d*)\x03$")


def _quoted_post_id(tag: re.Match) -> int | None:
    """The post id named in an opening tag; the name and anything else are ignored."""
    found = _QUOTED_POST.search(tag.group("arg") or tag.group("attrs") or "")
    return int(found.group(1)) if found and _POST_ID.match(found.group(1)) else None


def _outside_code_span(line: str, index: int) -> bool:
    """Whether ``index`` is outside inline code (an even number of backticks before it)."""
    return line.count("`", 0, index) % 2 == 0


def _tokenize(lines: list[str]) -> list[tuple[str, str, int | None]]:
    """Split lines into ("text"|"open"|"close"|"eol", text, post id) tokens."""
    tokens: list[tuple[str, str, int | None]] = []
    for line in lines:
        # Indented lines are code (or list continuations): no tags there.
        rest = line if len(line) - len(line.lstrip(" ")) < 4 and not line.startswith("\t") else None
        if rest is None:
            tokens += [("text", line, None), ("eol", "", None)]
            continue
        while rest:
            stripped = rest.lstrip(" ")
            opening = _OPEN_TAG.match(stripped)
            if opening:
                if rest != stripped:
                    tokens.append(("text", rest[: len(rest) - len(stripped)], None))
                tokens.append(("open", opening.group(0), _quoted_post_id(opening)))
                rest = stripped[opening.end() :]
                continue
            closing = next(
                (m for m in _CLOSE_TAG.finditer(rest) if _outside_code_span(rest, m.start())),
                None,
            )
            if closing is None:
                tokens.append(("text", rest, None))
                break
            if closing.start():
                tokens.append(("text", rest[: closing.start()], None))
            tokens.append(("close", closing.group(0), None))
            rest = rest[closing.end() :]
        tokens.append(("eol", "", None))
    return tokens


class _QuotePreprocessor(Preprocessor):
    """Pair quote tags and put every pair's ends on marker lines of their own."""

    def run(self, lines: list[str]) -> list[str]:
        if not any("[" in line for line in lines):
            return lines
        tokens = _tokenize(lines)
        partner: dict[int, int] = {}
        stack: list[int] = []
        for index, (kind, _, _) in enumerate(tokens):
            if kind == "open":
                stack.append(index)
            elif kind == "close" and stack:
                opened = stack.pop()
                # Deeper than the limit, a pair stays text (it would only be noise).
                if len(stack) < MAX_QUOTE_DEPTH:
                    partner[opened] = index
                    partner[index] = opened
        out: list[str] = []
        buffer = ""
        pair = 0
        pair_of: dict[int, int] = {}
        for index, (kind, text, post_id) in enumerate(tokens):
            if kind == "eol":
                out.append(buffer)
                buffer = ""
            elif index in partner:
                if buffer.strip():
                    out.append(buffer)
                buffer = ""
                if kind == "open":
                    pair += 1
                    pair_of[index] = pair
                    marker = _MARK_OPEN.format(pair=pair, post=post_id or "")
                else:
                    marker = _MARK_CLOSE.format(pair=pair_of[partner[index]])
                out += ["", marker, ""]
            else:
                buffer += text
        return out


class _QuoteBlockProcessor(BlockProcessor):
    """Turn the blocks between a pair of markers into a quote element."""

    def test(self, parent: Element, block: str) -> bool:
        return bool(_MARK_OPEN_RE.match(block.strip()))

    def run(self, parent: Element, blocks: list[str]) -> bool:
        opening = _MARK_OPEN_RE.match(blocks[0].strip())
        assert opening is not None  # noqa: S101 (test() matched it)
        closing = _MARK_CLOSE.format(pair=opening.group(1))
        end = next((i for i, block in enumerate(blocks) if block.strip() == closing), None)
        if end is None:
            return False
        inner = blocks[1:end]
        del blocks[: end + 1]
        quote = SubElement(parent, "blockquote")
        quote.set("class", "quote")
        if opening.group(2):
            post_id = int(opening.group(2))
            quote.set("data-quote", str(post_id))
            SubElement(quote, "div").set("class", "quote__header")
            quoted = self.parser.md.agora_quoted_post_ids  # type: ignore[attr-defined]
            if post_id not in quoted:
                quoted.append(post_id)
        body = SubElement(quote, "div")
        body.set("class", "quote__body")
        self.parser.parseBlocks(body, inner)
        return True


class _MarkdownQuoteProcessor(BlockQuoteProcessor):
    """Markdown's ``>`` quotes, which must not merge into a ``[quote]`` block before them.

    Markdown's own processor continues any <blockquote> that ends the parent;
    this is its ``run`` with that one condition narrowed to plain quotes.
    """

    def run(self, parent: Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        found = self.RE.search(block)
        if found:
            self.parser.parseBlocks(parent, [block[: found.start()]])
            block = "\n".join(self.clean(line) for line in block[found.start() :].split("\n"))
        sibling = self.lastChild(parent)
        if sibling is not None and sibling.tag == "blockquote" and not sibling.get("class"):
            quote = sibling
        else:
            quote = SubElement(parent, "blockquote")
        self.parser.state.set("blockquote")
        self.parser.parseChunk(quote, block)
        self.parser.state.reset()


# --- Mentions -------------------------------------------------------------------
#
# Usernames are letters, digits and ``.+-_`` (Django's validator also allows
# "@", which cannot be mentioned). A mention starts after anything but a word
# character, "@", "/", "." or a backslash (so e-mail addresses and URLs are
# not mentions, and a backslash writes a name without mentioning it);
# trailing ".", "-" and "+" are sentence punctuation unless a member's name
# really ends that way.


@dataclass(frozen=True)
class MentionRef:
    """A member a post may mention: the caller looked them up."""

    pk: int
    username: str
    url: str


MAX_MENTION_CANDIDATES = 50
_MENTION = re.compile(r"(?<![\w@/.\\])@([\w.+-]{1,150})")
_NOT_IN = frozenset({"a", "code", "pre"})


def _mention_names(token: str) -> list[str]:
    """The names ``@token`` may mean, longest first."""
    names = [token]
    stripped = token.rstrip(".+-")
    if stripped and stripped != token:
        names.append(stripped)
    return names


def mention_candidates(source: str) -> list[str]:
    """The names a caller must look up to render ``source``: every ``@word`` (lowercase).

    An over-approximation (it also reads code); ``render`` links only the
    names found in ``members``.
    """
    names: list[str] = []
    for found in _MENTION.finditer(source):
        for name in _mention_names(found.group(1)):
            if name.lower() not in names:
                names.append(name.lower())
        if len(names) >= MAX_MENTION_CANDIDATES:
            break
    return names[:MAX_MENTION_CANDIDATES]


class _Mentions(Treeprocessor):
    """``@name`` of a member in ``members`` -> a link to their profile."""

    def __init__(self, md: markdown.Markdown, members: Mapping[str, MentionRef]) -> None:
        super().__init__(md)
        self.members = members

    def run(self, root: Element) -> None:
        if self.members:
            self._walk(root, in_quote=False)

    def _walk(self, element: Element, *, in_quote: bool) -> None:
        for child in list(element):
            if child.tag not in _NOT_IN:
                self._walk(child, in_quote=in_quote or child.tag == "blockquote")
            if child.tail:
                self._link_tail(element, child, in_quote=in_quote)
        if element.text and element.tag not in _NOT_IN:
            text, links = self._split(element.text, in_quote=in_quote)
            element.text = text
            for index, link in enumerate(links):
                element.insert(index, link)

    def _link_tail(self, parent: Element, child: Element, *, in_quote: bool) -> None:
        text, links = self._split(child.tail or "", in_quote=in_quote)
        child.tail = text
        position = list(parent).index(child)
        for offset, link in enumerate(links, start=1):
            parent.insert(position + offset, link)

    def _split(self, text: str, *, in_quote: bool) -> tuple[str, list[Element]]:
        """``text`` up to the first mention, and link elements carrying the rest as tails."""
        links: list[Element] = []
        head = ""
        cursor = 0
        for found in _MENTION.finditer(text):
            member, name = next(
                (
                    (self.members[name.lower()], name)
                    for name in _mention_names(found.group(1))
                    if name.lower() in self.members
                ),
                (None, ""),
            )
            if member is None:
                continue
            before = text[cursor : found.start()]
            if links:
                links[-1].tail = (links[-1].tail or "") + before
            else:
                head += before
            link = Element("a", {"class": "mention", "href": member.url})
            link.text = f"@{member.username}"
            links.append(link)
            cursor = found.start() + 1 + len(name)
            if not in_quote:
                mentioned = self.md.agora_mentions  # type: ignore[attr-defined]
                if member.username not in mentioned:
                    mentioned.append(member.username)
        rest = text[cursor:]
        if links:
            links[-1].tail = (links[-1].tail or "") + rest
            return head, links
        return text, []


class _ForumExtension(Extension):
    def __init__(
        self,
        attachments: Mapping[int, AttachmentRef] | None = None,
        members: Mapping[str, MentionRef] | None = None,
    ) -> None:
        super().__init__()
        self.attachments = attachments or {}
        self.members = members or {}

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        # Raw HTML is not markup here: typed tags come out as visible text.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_DemoteHeadings(md), "agora_demote_headings", 5)
        md.treeprocessors.register(_Attachments(md, self.attachments), "agora_attachments", 4)
        # After fenced code (25) has set code blocks aside, so tags in code stay text.
        md.preprocessors.register(_QuotePreprocessor(md), "agora_quotes", 20)
        md.parser.blockprocessors.register(_QuoteBlockProcessor(md.parser), "agora_quote", 75)
        md.parser.blockprocessors.register(_MarkdownQuoteProcessor(md.parser), "quote", 20)
        # After the inline patterns (20) have made links and code spans.
        md.treeprocessors.register(_Mentions(md, self.members), "agora_mentions", 15)
        md.agora_quoted_post_ids = []  # type: ignore[attr-defined]
        md.agora_mentions = []  # type: ignore[attr-defined]


class _FinishFilter(Filter):
    """Set the attributes every link and image must carry."""

    def __iter__(self) -> Any:
        for token in super().__iter__():
            if token["type"] in {"StartTag", "EmptyTag"}:
                if token["name"] == "a":
                    token["data"][(None, "rel")] = "nofollow ugc"
                elif token["name"] == "img":
                    token["data"][(None, "loading")] = "lazy"
            yield token


def _keep_link(attrs: dict, new: bool = False) -> dict:
    """Linkify callback: keep every link (rel is set by _FinishFilter)."""
    return attrs


def _post_cleaner(filters: list[Any]) -> bleach.Cleaner:
    """A cleaner with the post allowlist, running ``filters`` on what it keeps."""
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=_allowed_attribute,
        protocols=ALLOWED_PROTOCOLS,
        strip=False,
        strip_comments=True,
        filters=filters,
    )


# Links made of bare URLs, then rel and loading set: what every post goes through.
_POST_FILTERS = [
    partial(
        LinkifyFilter,
        callbacks=[_keep_link],
        skip_tags={"pre", "code"},
        parse_email=False,
        url_re=build_url_re(protocols=["http", "https"]),
    ),
    _FinishFilter,
]

# bleach's cleaners keep parser state between calls and are not thread-safe
# (its documentation says one per thread): runserver and threaded workers
# clean posts in several threads at once.
_per_thread = threading.local()
_T = TypeVar("_T")


def _thread_cleaner(name: str, make: Callable[[], _T]) -> _T:
    """This thread's cleaner (or table of cleaners) called ``name``, made by ``make``
    on first use."""
    cleaner = getattr(_per_thread, name, None)
    if cleaner is None:
        cleaner = make()
        setattr(_per_thread, name, cleaner)
    return cleaner


@dataclass
class RenderResult:
    html: str
    version: int = RENDER_VERSION
    quoted_post_ids: list[int] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)


def _markdown(
    attachments: Mapping[int, AttachmentRef] | None = None,
    members: Mapping[str, MentionRef] | None = None,
) -> markdown.Markdown:
    # A Markdown instance keeps state between conversions; one per call is
    # cheap next to the save that follows and is safe across threads.
    return markdown.Markdown(
        extensions=[
            "fenced_code",
            "tables",
            "sane_lists",
            "nl2br",
            _ForumExtension(attachments, members),
        ],  # fmt: skip
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )


def sanitize(html: str) -> str:
    """Clean an HTML fragment with the post allowlist."""
    return _thread_cleaner("post", lambda: _post_cleaner(_POST_FILTERS)).clean(html)


def render(
    source: str,
    *,
    attachments: Mapping[int, AttachmentRef] | None = None,
    members: Mapping[str, MentionRef] | None = None,
) -> RenderResult:
    """Render Markdown ``source`` to sanitized HTML, noting the posts it quotes
    and the members it mentions.

    ``attachments`` are the post's images by id, in the order they are shown
    when the text does not place them. ``members`` are the members ``@name``
    may link to, by lowercase name (look up ``mention_candidates(source)``).
    """
    if attachments and not source.strip():
        # Images alone: each on its own line, as if the author had placed them.
        source = "\n\n".join(f"![](attachment:{pk})" for pk in attachments)
    md = _markdown(attachments, members)
    html = md.convert(source)
    return RenderResult(
        html=sanitize(html),
        quoted_post_ids=list(md.agora_quoted_post_ids),
        mentions=list(md.agora_mentions),
    )


# --- Feeds ----------------------------------------------------------------------
#
# Stored HTML links to this site by path ("/media/...", "/profile/...", links
# members write as "/post/123/"). A page resolves them against itself; a feed
# reader, against whatever it likes, so feeds get them absolute.

_URL_ATTRIBUTES = {"a": "href", "img": "src"}


class _AbsoluteUrls(Filter):
    """Put ``origin`` before every link and image URL that is a path from the site's root."""

    def __init__(self, source: Any, origin: str) -> None:
        super().__init__(source)
        self.origin = origin

    def __iter__(self) -> Any:
        for token in super().__iter__():
            if token["type"] in {"StartTag", "EmptyTag"} and token["name"] in _URL_ATTRIBUTES:
                key = (None, _URL_ATTRIBUTES[token["name"]])
                value = token["data"].get(key, "")
                # "//host/..." names another host: only the scheme is missing.
                if value.startswith("/") and not value.startswith("//"):
                    token["data"][key] = self.origin + value
            yield token


ABSOLUTE_ORIGINS_KEPT = 4


def absolute_urls(html: str, origin: str) -> str:
    """``html`` (a post as stored) with its root-relative URLs made absolute on ``origin``
    ("https://forum.example"), for feeds; the stored HTML is unchanged.

    The HTML goes through the post allowlist again, then the filter that sets
    ``rel`` and ``loading``, which together give back stored HTML unchanged, so
    only the URLs differ. Fragments without such a URL are returned as they are.
    """
    if '="/' not in html:
        return html
    origin = origin.rstrip("/")
    # A site answers to an origin or two: one cleaner per thread and origin (its
    # filter holds the origin) rather than a new one for every post of a feed;
    # a few at most, whatever Host headers ALLOWED_HOSTS lets through.
    cleaners = _thread_cleaner("absolute", dict)
    cleaner = cleaners.get(origin)
    if cleaner is None:
        if len(cleaners) >= ABSOLUTE_ORIGINS_KEPT:
            cleaners.clear()
        cleaner = cleaners[origin] = _post_cleaner(
            [_FinishFilter, partial(_AbsoluteUrls, origin=origin)]
        )
    return cleaner.clean(html)


SIGNATURE_TAGS = frozenset({"a", "b", "br", "code", "del", "em", "i", "p", "s", "strong"})


def _signature_cleaner() -> bleach.Cleaner:
    return bleach.Cleaner(
        tags=SIGNATURE_TAGS,
        attributes=_allowed_attribute,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=_POST_FILTERS,
    )


def render_signature(source: str) -> str:
    """Render a member's signature: inline Markdown only (links, emphasis, code).

    Headings, lists, images, tables and quotes are reduced to their text, so a
    signature stays a line or two under each post.
    """
    cleaner = _thread_cleaner("signature", _signature_cleaner)
    return cleaner.clean(_markdown().convert(source))
