"""Forms of the moderation tools (topic page and admin). They only validate."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.boards.models import Forum
from forum.moderation.models import Report
from forum.threads.models import Topic


class ReasonForm(forms.Form):
    """Why a moderator acts; shown to moderators and kept in the log."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Give a reason: other moderators will see it.")},
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class MoveForm(OptionalReasonForm):
    """Where to move topics."""

    forum = forms.ModelChoiceField(
        label=_("Move to forum"),
        queryset=Forum.objects.select_related("category"),
        empty_label=_("Choose a forum"),
        error_messages={"required": _("Choose the forum to move to.")},
    )

    field_order = ["forum", "reason"]


class MergeForm(OptionalReasonForm):
    """Which of the chosen topics receives the posts of the others."""

    target = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Topic.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose the topic that receives the posts.")},
    )

    field_order = ["target", "reason"]

    def __init__(self, *args: Any, topics: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = topics


class BanForm(forms.Form):
    """A ban: until a date, or for good, and why (the member is told both)."""

    until = forms.DateField(
        label=_("Banned until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The ban ends at the start of this day."),
    )
    permanent = forms.BooleanField(label=_("Ban permanently"), required=False)
    reason = forms.CharField(
        label=_("Reason (the member sees it)"),
        max_length=500,
        error_messages={"required": _("Give a reason: the member will see it.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        until, permanent = data.get("until"), data.get("permanent")
        if bool(until) == bool(permanent):
            raise forms.ValidationError(_("Choose a date the ban ends, or a permanent ban."))
        if until and until <= timezone.localdate():
            self.add_error("until", _("The ban must end after today."))
        return data

    @property
    def until_datetime(self) -> datetime | None:
        until = self.cleaned_data.get("until")
        if not until:
            return None
        return timezone.make_aware(datetime.combine(until, time.min))


class ReportForm(forms.Form):
    """A member's report of a post."""

    reason = forms.ChoiceField(
        label=_("What is wrong with this post?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what is wrong with the post.")},
    )
    message = forms.CharField(
        label=_("Anything the moderators should know (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ResolutionForm(forms.Form):
    """Closing reports: the note each reporter reads."""

    note = forms.CharField(
        label=_("Note to the reporters (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HideAndResolveForm(ResolutionForm):
    reason = forms.CharField(
        label=_("Reason for hiding (moderators see it)"),
        max_length=500,
        error_messages={"required": _("Give a reason: other moderators will see it.")},
    )


class ReportHandleForm(forms.ModelForm):
    """The report page of the admin: decide, and tell the reporter."""

    HIDE = "hide"
    RESOLVE = "resolve"
    DISMISS = "dismiss"

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (HIDE, _("Hide the post and resolve the report")),
            (RESOLVE, _("Resolve: handled another way")),
            (DISMISS, _("Dismiss: the post breaks no rule")),
        ],
        widget=forms.RadioSelect,
    )
    hide_reason = forms.CharField(
        label=_("Reason for hiding"),
        max_length=500,
        required=False,
        help_text=_("Moderators see it on the hidden post and in the log."),
    )
    note = forms.CharField(
        label=_("Note to the reporter"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The member who reported the post reads it with the outcome."),
    )

    class Meta:
        model = Report
        fields: list[str] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("outcome") == self.HIDE and not (data.get("hide_reason") or data.get("note")):
            self.add_error("hide_reason", _("Give a reason for hiding the post."))
        return data
