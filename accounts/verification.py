"""Whether a member's primary e-mail address is confirmed, without a query per page.

allauth refuses to sign in a member whose address is unconfirmed, but a session
can outlive that (an address changed or removed later, or an account signed in
by other means). Posting rules ask on every topic page, so the answer is kept
on the user object for the request and in the cache between requests;
``accounts.receivers`` forgets it whenever an address of the member changes.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.core.cache import cache

CACHE_SECONDS = 60 * 60


def _key(user_id: int) -> str:
    return f"email-verified:{user_id}"


def has_verified_email(user: Any) -> bool:
    """True when ``user``'s primary e-mail address is verified."""
    cached = getattr(user, "_verified_email_cache", None)
    if cached is not None:
        return cached
    verified = cache.get(_key(user.pk))
    if verified is None:
        verified = EmailAddress.objects.filter(
            user_id=user.pk, primary=True, verified=True
        ).exists()
        cache.set(_key(user.pk), verified, CACHE_SECONDS)
    user._verified_email_cache = verified
    return verified


def forget_verified_email(user_id: int) -> None:
    cache.delete(_key(user_id))
