"""Relative times as forums show them: "8 minutes ago", "Yesterday", "March 3".

The server renders them at view time inside ``<time datetime>``; a small
script refreshes them in the browser, so a cached page never goes stale.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.formats import date_format as localized_date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def relative_time(value: datetime, now: datetime | None = None) -> str:
    """Describe ``value`` relative to ``now`` the way forum readers expect."""
    now = now or timezone.now()
    seconds = int((now - value).total_seconds())
    if seconds < 0:
        seconds = 0
    if seconds < 60:
        return _("just now")
    minutes = seconds // 60
    if minutes < 60:
        return ngettext("%(n)d minute ago", "%(n)d minutes ago", minutes) % {"n": minutes}
    hours = minutes // 60
    if hours < 24:
        return ngettext("%(n)d hour ago", "%(n)d hours ago", hours) % {"n": hours}
    days = hours // 24
    if days < 7:
        return ngettext("%(n)d day ago", "%(n)d days ago", days) % {"n": days}
    local = timezone.localtime(value)
    if local.year == timezone.localtime(now).year:
        return date_format(local, _("F j"))
    return localized_date_format(local, "DATE_FORMAT")


def exact_time(value: datetime) -> str:
    """The full timestamp shown as a tooltip."""
    return localized_date_format(timezone.localtime(value), "DATETIME_FORMAT")
