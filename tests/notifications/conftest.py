"""Actors of the notification tests."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from forum.notifications.models import Channel, Kind, NotificationSettings
from tests.factories import UserFactory


def grant(user: Any, *perms: str) -> Any:
    """Give ``user`` permissions by "app.codename" (no group needed)."""
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bell_count(html: str) -> str:
    """The number on the bell of a page ("" when it shows none)."""
    found = re.search(r'<span class="bell__count" aria-hidden="true">([^<]+)</span>', html)
    return found.group(1) if found else ""


def wants_everything(user: Any) -> Any:
    """``user`` chose "in the app and by e-mail" for every kind."""
    NotificationSettings.objects.update_or_create(
        user=user, defaults={"channels": {kind.value: Channel.BOTH for kind in Kind}}
    )
    return user


@pytest.fixture
def recommender(db: Any) -> Any:
    """A moderator who may recommend posts (the permission, not staff status)."""
    return grant(UserFactory(username="mod_marta"), "posts.recommend_post")


@pytest.fixture
def recipient(db: Any) -> Any:
    return wants_everything(UserFactory(username="spidermike007"))
