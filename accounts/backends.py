"""Authentication backend: allauth's, with permission sets kept in the cache.

Django's ModelBackend reads a member's permissions with two queries on every
request that checks one. Moderation checks happen on every topic page, so the
set is cached under a version key that changes whenever groups, permissions or
memberships change (see ``accounts.receivers``).
"""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.core.cache import cache

PERMISSIONS_VERSION_KEY = "perms:version"
CACHE_SECONDS = 60 * 60


def permissions_version() -> int:
    version = cache.get(PERMISSIONS_VERSION_KEY)
    if version is None:
        version = 1
        cache.add(PERMISSIONS_VERSION_KEY, version, None)
    return version


def invalidate_permissions() -> None:
    """Forget every cached permission set (after group or permission changes)."""
    try:
        cache.incr(PERMISSIONS_VERSION_KEY)
    except ValueError:
        cache.set(PERMISSIONS_VERSION_KEY, 2, None)


class CachedPermissionsBackend(AuthenticationBackend):
    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                # ModelBackend lists every Permission row for superusers; they
                # pass every has_perm() anyway through the is_superuser check.
                user_obj._perm_cache = super().get_all_permissions(user_obj, obj)
                return user_obj._perm_cache
            # The set is kept with the version it was read at; both come back
            # in one cache round trip.
            key = f"perms:{user_obj.pk}"
            found = cache.get_many([PERMISSIONS_VERSION_KEY, key])
            version = found.get(PERMISSIONS_VERSION_KEY)
            stored = found.get(key)
            if version is not None and stored is not None and stored[0] == version:
                perms = stored[1]
            else:
                version = version if version is not None else permissions_version()
                perms = super().get_all_permissions(user_obj, obj)
                cache.set(key, (version, perms), CACHE_SECONDS)
            user_obj._perm_cache = perms
        return user_obj._perm_cache
