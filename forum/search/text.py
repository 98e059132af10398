"""Plain text for the index, and highlighted excerpts for the results page.

Everything that leaves here for a template is escaped first and then given
its ``<mark>`` tags, so no text from a post is ever output unescaped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# PostgreSQL's ts_headline marks matches with these; neither survives
# ``plain_text``, so a post cannot forge a highlight.
START_MARK = "\x02"
STOP_MARK = "\x03"
# PostgreSQL's text-search parser reads "<b>" as an HTML tag and leaves it out
# of vectors and headlines; text sent to ts_headline has this after each "<"
# (and the vector a space) so that typed angle brackets stay words.
NOT_A_TAG = "\x01"
_MARKED = re.compile(f"({START_MARK}[^{START_MARK}{STOP_MARK}]*{STOP_MARK})")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACE = re.compile(r"\s+")

# Tags that separate words: "<p>end</p><p>start" must not index "endstart".
_BREAKING_TAGS = frozenset(
    {
        "blockquote", "br", "div", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img", "li",
        "ol", "p", "pre", "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)  # fmt: skip

EXCERPT_LENGTH = 240
EXCERPT_LEAD = 60


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAKING_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BREAKING_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(html: str) -> str:
    """Return the words of a sanitized HTML fragment, on one line."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    text = _CONTROL.sub("", "".join(extractor.parts))
    return _SPACE.sub(" ", text).strip()


def marked_to_html(marked: str) -> SafeString:
    """Escape ts_headline output and turn its match markers into ``<mark>``."""
    pieces = []
    for piece in _MARKED.split(marked):
        if piece.startswith(START_MARK) and piece.endswith(STOP_MARK):
            pieces.append(format_html("<mark>{}</mark>", piece[1:-1].replace(NOT_A_TAG, "")))
        else:
            pieces.append(_CONTROL.sub("", piece))
    return format_html_join("", "{}", ((piece,) for piece in pieces))


def marked_excerpt_to_html(marked: str, head: str, tail: str) -> SafeString:
    """``marked_to_html``, with "…" where the excerpt cuts into the text.

    ``head`` and ``tail`` are the first and last characters of the whole text.
    """
    plain = _CONTROL.sub("", marked).strip()
    sample = min(len(plain), 30)
    lead = "" if head.startswith(plain[:sample]) else "… "
    trail = "" if tail.endswith(plain[len(plain) - sample :]) else " …"
    return format_html("{}{}{}", lead, marked_to_html(marked), trail)


def _pattern(terms: list[str]) -> re.Pattern[str] | None:
    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)


def highlight(text: str, terms: list[str]) -> SafeString:
    """Escape ``text`` with every occurrence of ``terms`` (any case) in ``<mark>``."""
    pattern = _pattern(terms)
    if pattern is None:
        return format_html("{}", text)
    marked = pattern.sub(lambda m: f"{START_MARK}{m.group(0)}{STOP_MARK}", text)
    return marked_to_html(marked)


def excerpt(text: str, terms: list[str], length: int = EXCERPT_LENGTH) -> SafeString:
    """About ``length`` characters of ``text`` around its first match, highlighted."""
    pattern = _pattern(terms)
    match = pattern.search(text) if pattern else None
    start = 0
    if match and match.start() > EXCERPT_LEAD:
        start = text.find(" ", match.start() - EXCERPT_LEAD, match.start())
        start = match.start() if start == -1 else start + 1
    end = start + length
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    else:
        end = len(text)
    snippet = text[start:end]
    if start > 0:
        snippet = "… " + snippet
    if end < len(text):
        snippet = snippet + " …"
    return highlight(snippet, terms)
