from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from forum.reactions.models import ReactionType


class ReactForm(forms.Form):
    """A reaction button: ``type`` gives (or changes to) a type, ``remove`` takes one back."""

    type = forms.IntegerField(required=False, min_value=1)
    remove = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args: object, types: dict[int, ReactionType], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.types = types

    def clean(self) -> dict:
        data = super().clean()
        chosen, removed = data.get("type"), data.get("remove")
        if (chosen is None) == (removed is None):
            raise forms.ValidationError(_("Choose one reaction."), code="invalid")
        reaction_type = self.types.get(chosen if chosen is not None else removed)
        # A type disabled since it was given can still be taken back.
        if reaction_type is None or (chosen is not None and not reaction_type.enabled):
            raise forms.ValidationError(_("This reaction is not available."), code="invalid")
        data["reaction_type"] = reaction_type
        data["removing"] = removed is not None
        return data
