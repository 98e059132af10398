from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from forum.notifications.models import Channel, Kind, channel_for


class NotificationSettingsForm(forms.Form):
    """A channel for each kind of notification, and the digest choice."""

    email_digest = forms.BooleanField(
        label=_("Send my notification e-mails as one daily digest"),
        required=False,
        help_text=_("Instead of one e-mail for each notification as it happens."),
    )

    def __init__(self, *args: Any, channels: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[f"kind_{kind.value}"] = forms.ChoiceField(
                label=kind.label,
                choices=Channel.choices,
                initial=channel_for(channels, kind.value),
                widget=forms.RadioSelect,
            )

    def kind_fields(self) -> list[forms.BoundField]:
        return [self[f"kind_{kind.value}"] for kind in Kind]

    def channels(self) -> dict[str, str]:
        return {kind.value: self.cleaned_data[f"kind_{kind.value}"] for kind in Kind}
