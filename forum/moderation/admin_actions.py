"""Admin actions that ask something first (a reason, a forum, a date).

Django's pattern: the action returns a page with a form that posts back to the
changelist with the same action and the selected ids, plus ``apply``; on that
second request the form is bound and the action does its work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.contrib.admin import ModelAdmin, helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from forum.moderation.services import ModerationError


def bound(form_class: Any, request: HttpRequest, **kwargs: Any) -> Any:
    """The action's form, bound only once its own page was submitted."""
    return form_class(request.POST if "apply" in request.POST else None, **kwargs)


def action_page(
    modeladmin: ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    *,
    form: Any,
    title: str,
    submit: str,
    intro: str = "",
) -> TemplateResponse:
    """The intermediate page of an action: what is selected, and the form."""
    opts = modeladmin.model._meta
    objects = list(queryset)
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "intro": intro,
        "submit": submit,
        "form": form,
        "objects": objects,
        "opts": opts,
        "action": request.POST.get("action", ""),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media + form.media,
    }
    return TemplateResponse(request, "admin/moderation/action_form.html", context)


def tell(modeladmin: ModelAdmin, request: HttpRequest, text: str, *, warning: bool = False) -> None:
    """Show the moderator what an action did (or skipped, and why)."""
    modeladmin.message_user(request, text, messages.WARNING if warning else messages.SUCCESS)


def apply_each(
    modeladmin: ModelAdmin, request: HttpRequest, objects: Iterable[Any], act: Callable[[Any], Any]
) -> int:
    """Call ``act`` on each object and count those it changed (a true or numeric result).

    An object the service refuses (``ModerationError``) is skipped, and the
    moderator is told which and why.
    """
    done = 0
    for obj in objects:
        try:
            done += act(obj) or 0
        except ModerationError as error:
            tell(modeladmin, request, f"#{obj.pk}: {error}", warning=True)
    return done
