from __future__ import annotations

from typing import Any

from allauth.account import app_settings as allauth_settings
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from forum import images


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form; the honeypot is hidden by a stylesheet class
    instead of the inline style that our Content-Security-Policy would block."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.honeypot_name = allauth_settings.SIGNUP_FORM_HONEYPOT_FIELD
        if self.honeypot_name in self.fields:
            self.fields[self.honeypot_name].widget.attrs = {
                "tabindex": "-1",
                "autocomplete": "off",
            }


class ProfileSettingsForm(forms.ModelForm):
    """What a member says about themselves, and how they browse."""

    class Meta:
        model = User
        fields = ["title", "signature", "browse_invisibly", "auto_follow"]
        widgets = {"signature": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "title": _("Shown under your name next to your posts."),
            "signature": _("A line or two under each of your posts. Links, **bold**, "
                           "_italic_ and `code` work."),
        }  # fmt: skip

    def __init__(self, *args: Any, may_set_title: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_set_title:
            del self.fields["title"]

    def clean_signature(self) -> str:
        signature = self.cleaned_data["signature"]
        if signature.count("\n") > 3:
            raise forms.ValidationError(_("Keep your signature to four lines at most."))
        return signature


class AvatarForm(forms.Form):
    """A new avatar. The file is checked and re-encoded by ``forum.images``; the
    result is in ``image`` once the form is valid."""

    avatar = forms.FileField(
        label=_("New avatar"),
        allow_empty_file=True,  # forum.images says what is wrong with an empty file
        widget=forms.FileInput(attrs={"accept": images.ACCEPT_ATTRIBUTE}),
        error_messages={"required": _("Choose an image to upload.")},
        help_text=_(
            "JPEG, PNG, GIF or WebP. It is cropped to a square from its centre and "
            "shown next to your posts and on your profile."
        ),
    )

    def clean_avatar(self) -> Any:
        upload = self.cleaned_data["avatar"]
        self.image = images.process_upload(upload)
        return upload
