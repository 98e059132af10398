"""Actors and shared fixtures for the whole suite."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from forum.threads.counters import drain_views
from tests.factories import ForumFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_state() -> Any:
    """No test sees another's cache entries or buffered counters."""
    cache.clear()
    drain_views()
    yield
    cache.clear()
    drain_views()


@pytest.fixture
def forum(db: Any) -> Any:
    return ForumFactory()


@pytest.fixture
def member(db: Any) -> Any:
    return UserFactory()


@pytest.fixture
def other_member(db: Any) -> Any:
    return UserFactory()


@pytest.fixture
def guest_client() -> Client:
    return Client()


@pytest.fixture
def member_client(member: Any) -> Client:
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture
def postgres() -> None:
    """Skip unless the suite runs on PostgreSQL (DATABASE_URL), as CI does."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL (CI does)")


@pytest.fixture
def media_root(settings: Any, tmp_path: Any) -> Any:
    """Uploaded files go to a fresh directory for this test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def moderators_group(db: Any) -> Any:
    """The "Moderators" group of the data migration.

    A browser test's flush empties every table, the migration's rows too;
    the migration's own function puts the group back when it is missing.
    """
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group

    group = Group.objects.filter(name="Moderators").first()
    if group is None:
        for name in ["0002_moderators_group", "0003_moderators_recommend_posts"]:
            migration = importlib.import_module(f"forum.moderation.migrations.{name}")
            (getattr(migration, "create_group", None) or migration.add_permissions)(apps, None)
        group = Group.objects.get(name="Moderators")
    return group


@pytest.fixture
def moderator(moderators_group: Any) -> Any:
    user = UserFactory()
    user.groups.add(moderators_group)
    return user


@pytest.fixture
def moderator_client(moderator: Any) -> Client:
    client = Client()
    client.force_login(moderator)
    return client
