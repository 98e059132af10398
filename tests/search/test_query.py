"""The search syntax: words, "phrases", -exclusions and or."""

from __future__ import annotations

import pytest

from forum.search.query import MAX_TERMS, QueryError, parse_query


def _groups(text: str) -> list[tuple[list[str], list[str]]]:
    return [(g.include, g.exclude) for g in parse_query(text).groups]


def test_words_must_all_match():
    assert _groups("tripod  Wind") == [(["tripod", "Wind"], [])]


def test_quoted_phrase_is_one_term_and_smart_quotes_count():
    assert _groups('"light   meter" olympus') == [(["light meter", "olympus"], [])]
    assert _groups("“light meter”") == [(["light meter"], [])]
    assert _groups('"unclosed phrase') == [(["unclosed phrase"], [])]


def test_minus_excludes_words_and_phrases():
    assert _groups('compost -bin -"fruit flies"') == [(["compost"], ["bin", "fruit flies"])]


def test_or_separates_alternatives():
    assert _groups("tomato or pepper -chilli") == [(["tomato"], []), (["pepper"], ["chilli"])]
    assert _groups("or tomato OR") == [(["tomato"], [])]


def test_punctuation_is_not_a_term_but_inner_hyphens_are_kept():
    assert _groups("co-op, don't! node.js?") == [(["co-op", "don't", "node.js"], [])]


@pytest.mark.parametrize("text", ["", "   ", "-", '""', "!!! ???", "or"])
def test_nothing_to_look_for_is_empty(text):
    with pytest.raises(QueryError, match="empty"):
        parse_query(text)


@pytest.mark.parametrize("text", ["-cats", "dogs or -cats", '-"fat cat"'])
def test_a_part_with_only_exclusions_is_refused(text):
    with pytest.raises(QueryError, match="only_exclusions"):
        parse_query(text)


def test_too_many_terms_are_refused():
    with pytest.raises(QueryError, match="too_many"):
        parse_query(" ".join(f"w{n}" for n in range(MAX_TERMS + 1)))
    assert len(parse_query(" ".join(f"w{n}" for n in range(MAX_TERMS))).highlight_terms) == 20
