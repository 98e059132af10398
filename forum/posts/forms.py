from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from forum import images


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class ImagesField(forms.FileField):
    """Any number of files from one ``<input type="file" multiple>``.

    Empty files are let through: ``forum.images`` says what is wrong with them.
    """

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data]
        return [super(ImagesField, self).clean(item, initial) for item in files if item]


class AttachmentIdsField(forms.Field):
    """The ids of uploads ticked to go with the post (checked by the service)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        ids = [int(item) for item in values if str(item).isdigit() and len(str(item)) < 19]
        # A crafted form with thousands of ids gets a bounded query; more than
        # the per-post limit is refused by the form anyway.
        return list(dict.fromkeys(ids))[: settings.AGORA_IMAGES_PER_POST + 1]


def images_help_text() -> str:
    return ngettext_lazy(
        "JPEG, PNG, GIF or WebP, up to %(size)s and %(megapixels)s megapixels each; "
        "%(count)d image a post.",
        "JPEG, PNG, GIF or WebP, up to %(size)s and %(megapixels)s megapixels each; "
        "%(count)d images a post.",
        "count",
    ) % {
        "size": filesizeformat(settings.AGORA_IMAGE_MAX_BYTES),
        "megapixels": f"{settings.AGORA_IMAGE_MAX_PIXELS / 1_000_000:g}",
        "count": settings.AGORA_IMAGES_PER_POST,
    }


class PostForm(forms.Form):
    """The text of a post (a reply, or the first post of a topic) and its images.

    Each file in ``images`` is checked and re-encoded by ``forum.images``; the
    ones that pass are in ``accepted_images`` even when the form fails, so the
    view can keep them as uploads, and each refused one has its own message.
    ``uploads_left`` is how many more images the member may upload this hour.
    """

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
        required=False,  # a post of images alone is fine: see clean()
    )
    attachments = AttachmentIdsField(required=False)
    images = ImagesField(
        label=_("Attach images"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": images.ACCEPT_ATTRIBUTE}),
    )

    def __init__(self, *args: Any, uploads_left: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.uploads_left = (
            settings.AGORA_UPLOADS_PER_HOUR if uploads_left is None else uploads_left
        )
        self.accepted_images: list[tuple[str, images.ProcessedImage]] = []
        self.fields["images"].help_text = images_help_text()

    @property
    def images_limit(self) -> int:
        return settings.AGORA_IMAGES_PER_POST

    def clean_images(self) -> list[UploadedFile]:
        files = self.cleaned_data.get("images") or []
        limit = settings.AGORA_IMAGES_PER_POST
        room = limit - len(self.cleaned_data.get("attachments") or [])
        errors: list[forms.ValidationError] = []
        if room < 0:
            errors.append(
                forms.ValidationError(
                    _("A post may have at most %(limit)d images: untick some of them."),
                    code="too_many_images",
                    params={"limit": limit},
                )
            )
        for upload in files:
            name = images.display_name(upload.name)
            if room <= 0:
                message = _("%(name)s was not added: a post may have at most %(limit)d images.")
                errors.append(
                    forms.ValidationError(
                        message, code="too_many_images", params={"name": name, "limit": limit}
                    )
                )
                continue
            if self.uploads_left <= 0:
                message = _(
                    "%(name)s was not added: you have uploaded many images in the last hour. "
                    "Please wait a while before adding more."
                )
                errors.append(
                    forms.ValidationError(message, code="rate_limited", params={"name": name})
                )
                continue
            try:
                processed = images.process_upload(upload)
            except forms.ValidationError as error:
                errors.append(
                    forms.ValidationError(
                        _("%(name)s: %(error)s"),
                        code=error.code,
                        params={"name": name, "error": error.messages[0]},
                    )
                )
                continue
            self.accepted_images.append((upload.name, processed))
            room -= 1
            self.uploads_left -= 1
        if errors:
            raise forms.ValidationError(errors)
        return files

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        limit = settings.AGORA_POST_MAX_LENGTH
        if len(body) > limit:
            raise forms.ValidationError(
                _("Your post is too long: %(limit)d characters at most (it has %(length)d)."),
                code="max_length",
                params={"limit": limit, "length": len(body)},
            )
        return body.rstrip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        has_images = bool(cleaned.get("attachments") or self.accepted_images)
        if "body" in cleaned and not cleaned["body"].strip() and not has_images:
            self.add_error(
                "body",
                forms.ValidationError(
                    _("Your post is empty. Write something before you submit it."),
                    code="required",
                ),
            )
        return cleaned


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

    field_order = ["title", "body", "attachments", "images"]

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


class RecommendForm(forms.Form):
    """A moderator's optional note on a post they recommend."""

    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=300,
        required=False,
        help_text=_("Why this post is worth reading; shown with it under “Recommended Posts”."),
    )
