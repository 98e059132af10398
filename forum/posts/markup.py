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

Keeping every sanitizer call here, proven by the hostile corpus in
``tests/posts/test_markup.py``, makes replacing bleach a one-module change.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from xml.etree.ElementTree import Element, SubElement

import bleach
import markdown
from bleach.html5lib_shim import Filter
from bleach.linkifier import LinkifyFilter, build_url_re
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

RENDER_VERSION = 1

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "div", "em", "h3", "h4",
        "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "span",
        "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
_CODE_CLASS = re.compile(r"^language-[A-Za-z0-9_+-]{1,30}$")


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name in {"href", "title"} or (name == "class" and value == "attachment")
    if tag == "img":
        if name in {"width", "height"}:  # only attachments carry them (no raw HTML)
            return value.isdigit() and len(value) <= 5
        return name in {"src", "alt", "title"}
    if tag == "div":
        return name == "class" and value == "attachments"
    if tag in {"td", "th"}:
        return name == "align" and value in {"left", "center", "right"}
    if tag == "code":
        return name == "class" and bool(_CODE_CLASS.match(value))
    if tag == "abbr":
        return name == "title"
    if tag == "ol":
        return name == "start" and value.isdigit()
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


class _ForumExtension(Extension):
    def __init__(self, attachments: Mapping[int, AttachmentRef] | None = None) -> None:
        super().__init__()
        self.attachments = attachments or {}

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        # Raw HTML is not markup here: typed tags come out as visible text.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_DemoteHeadings(md), "agora_demote_headings", 5)
        md.treeprocessors.register(_Attachments(md, self.attachments), "agora_attachments", 4)


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


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allowed_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=False,
    strip_comments=True,
    filters=[
        partial(
            LinkifyFilter,
            callbacks=[_keep_link],
            skip_tags={"pre", "code"},
            parse_email=False,
            url_re=build_url_re(protocols=["http", "https"]),
        ),
        _FinishFilter,
    ],
)


@dataclass
class RenderResult:
    html: str
    version: int = RENDER_VERSION
    quoted_post_ids: list[int] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)


def _markdown(attachments: Mapping[int, AttachmentRef] | None = None) -> markdown.Markdown:
    # A Markdown instance keeps state between conversions; one per call is
    # cheap next to the save that follows and is safe across threads.
    return markdown.Markdown(
        extensions=["fenced_code", "tables", "sane_lists", "nl2br", _ForumExtension(attachments)],
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )


def sanitize(html: str) -> str:
    """Clean an HTML fragment with the post allowlist."""
    return _cleaner.clean(html)


def render(source: str, *, attachments: Mapping[int, AttachmentRef] | None = None) -> RenderResult:
    """Render Markdown ``source`` to sanitized HTML.

    ``attachments`` are the post's images by id, in the order they are shown
    when the text does not place them.
    """
    if attachments and not source.strip():
        # Images alone: each on its own line, as if the author had placed them.
        source = "\n\n".join(f"![](attachment:{pk})" for pk in attachments)
    html = _markdown(attachments).convert(source)
    return RenderResult(html=sanitize(html))


SIGNATURE_TAGS = frozenset({"a", "b", "br", "code", "del", "em", "i", "p", "s", "strong"})

_signature_cleaner = bleach.Cleaner(
    tags=SIGNATURE_TAGS,
    attributes=_allowed_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=_cleaner.filters,
)


def render_signature(source: str) -> str:
    """Render a member's signature: inline Markdown only (links, emphasis, code).

    Headings, lists, images, tables and quotes are reduced to their text, so a
    signature stays a line or two under each post.
    """
    return _signature_cleaner.clean(_markdown().convert(source))
