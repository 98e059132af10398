from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PostForm(forms.Form):
    """The text of a post: a reply, or the first post of a topic."""

    body = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(
            attrs={
                "rows": 8,
                "class": "editor__text",
                "placeholder": _(
                    "Write your reply… Markdown works: **bold**, _italic_, lists, `code`, > quotes."
                ),
            }
        ),
        strip=False,
        error_messages={
            "required": _("Your post is empty. Write something before you submit it."),
        },
    )

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError(
                _("Your post is empty. Write something before you submit it."), code="required"
            )
        limit = settings.AGORA_POST_MAX_LENGTH
        if len(body) > limit:
            raise forms.ValidationError(
                _("Your post is too long: %(limit)d characters at most (it has %(length)d)."),
                code="max_length",
                params={"limit": limit, "length": len(body)},
            )
        return body.rstrip()


class TopicForm(PostForm):
    """A new topic: its title and first post."""

    title = forms.CharField(
        label=_("Title"),
        min_length=3,
        max_length=settings.AGORA_TOPIC_TITLE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "input--title"}),
        error_messages={
            "required": _("Give your topic a title."),
            "min_length": _("The title is too short: at least %(limit_value)d characters."),
            "max_length": _("The title is too long: at most %(limit_value)d characters."),
        },
    )

    field_order = ["title", "body"]

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if len(title) < 3:
            raise forms.ValidationError(
                _("The title is too short: at least %(limit_value)d characters."),
                code="min_length",
                params={"limit_value": 3},
            )
        return title


class PostEditForm(TopicForm):
    """Editing a post; only the first post of a topic carries the topic's title."""

    def __init__(self, *args: object, with_title: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if not with_title:
            del self.fields["title"]
