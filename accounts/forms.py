from __future__ import annotations

from typing import Any

from allauth.account import app_settings as allauth_settings
from allauth.account.forms import SignupForm as AllauthSignupForm


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
