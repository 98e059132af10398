"""Read what a member typed in the search box.

The syntax is PostgreSQL's web-search syntax: words must all appear,
``"quoted phrases"`` must appear as written, ``-word`` and ``-"a phrase"``
must not appear, and ``or`` between two parts matches either. PostgreSQL
reads the raw text itself (``websearch_to_tsquery``); this parser checks that
a query asks for something and gives SQLite, and the highlighter, the same
terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_TERMS = 20

_TOKEN = re.compile(r'(-?)"([^"]*)(?:"|$)|(\S+)')
_WORD = re.compile(r"\w+(?:['’.\-]\w+)*")
_SMART_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})


class QueryError(ValueError):
    """The query cannot be searched; the message says why, for the member."""


@dataclass
class Group:
    """Terms that must all match (``include``) and none of which may (``exclude``)."""

    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)


@dataclass
class ParsedQuery:
    text: str
    groups: list[Group]

    @property
    def highlight_terms(self) -> list[str]:
        return [term for group in self.groups for term in group.include]


def parse_query(text: str) -> ParsedQuery:
    """Split ``text`` into OR-ed groups of terms; raise ``QueryError`` if it asks for nothing."""
    text = " ".join(text.translate(_SMART_QUOTES).split())
    groups = [Group()]
    count = 0
    for match in _TOKEN.finditer(text):
        negated, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None and word.lower() == "or":
            groups.append(Group())
            continue
        if phrase is not None:
            terms = [" ".join(phrase.split())] if phrase.strip() else []
            target = groups[-1].exclude if negated else groups[-1].include
        else:
            excluded = word.startswith("-")
            terms = _WORD.findall(word)
            target = groups[-1].exclude if excluded else groups[-1].include
        target.extend(terms)
        count += len(terms)
    groups = [g for g in groups if g.include or g.exclude]
    if not groups:
        raise QueryError("empty")
    if count > MAX_TERMS:
        raise QueryError("too_many")
    if any(not g.include for g in groups):
        raise QueryError("only_exclusions")
    return ParsedQuery(text=text, groups=groups)
