from __future__ import annotations

from itertools import groupby
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from forum.boards.models import Forum
from forum.search.query import MAX_TERMS, QueryError, parse_query
from forum.search.results import NEWEST, RELEVANCE, Criteria

QUERY_MAX_LENGTH = 200

QUERY_ERRORS = {
    "too_many": _("Search for at most %(max)d words and phrases at a time."),
    "only_exclusions": _(
        "Add a word to look for: a minus sign only leaves words out, "
        "so each part of a search needs at least one word without one."
    ),
}


class SearchForm(forms.Form):
    """The search box and its filters. Forms only validate: the view runs the search."""

    q = forms.CharField(
        label=_("Search for"),
        max_length=QUERY_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    forum = forms.TypedChoiceField(
        label=_("In forum"), coerce=int, required=False, empty_value=None
    )
    author = forms.CharField(label=_("By member"), max_length=150, required=False)
    after = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    before = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    topics_only = forms.BooleanField(
        label=_("Topics only"),
        required=False,
        help_text=_("Match topic titles and opening posts, one result per topic."),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[(RELEVANCE, _("Relevance")), (NEWEST, _("Newest first"))],
        required=False,
    )

    def __init__(self, *args: Any, forums: list[Forum], **kwargs: Any) -> None:
        """``forums`` are those the searcher may read, with their categories loaded."""
        super().__init__(*args, **kwargs)
        self.parsed = None
        self.fields["forum"].choices = [("", _("All forums"))] + [
            (category.name, [(forum.pk, forum.name) for forum in items])
            for category, items in groupby(forums, key=lambda forum: forum.category)
        ]

    def clean_q(self) -> str:
        text = self.cleaned_data["q"].strip()
        self.parsed = None
        if text:
            try:
                self.parsed = parse_query(text)
            except QueryError as error:
                if str(error) != "empty":
                    raise forms.ValidationError(
                        QUERY_ERRORS[str(error)], params={"max": MAX_TERMS}
                    ) from error
        return text

    def clean(self) -> dict:
        data = super().clean()
        if data.get("after") and data.get("before") and data["after"] > data["before"]:
            self.add_error("before", _("The end date is before the start date."))
        return data

    def criteria(self) -> Criteria | None:
        """The search to run, or None when the box holds nothing to look for."""
        if not self.is_valid() or self.parsed is None:
            return None
        data = self.cleaned_data
        return Criteria(
            query=self.parsed,
            forum_id=data["forum"],
            author=data["author"].strip(),
            after=data["after"],
            before=data["before"],
            topics_only=data["topics_only"],
            sort=data["sort"] or RELEVANCE,
        )

    @property
    def has_query(self) -> bool:
        return bool(self.is_bound and self.data.get("q", "").strip())

    @property
    def filters_used(self) -> bool:
        """Whether a filter or the sort order was set (the page shows them open)."""
        if not self.is_bound:
            return False
        filters = ("forum", "author", "after", "before", "topics_only")
        return (
            any(self.data.get(name) for name in filters)
            or self.data.get("sort") == NEWEST
            or any(name in self.errors for name in (*filters, "sort"))
        )
