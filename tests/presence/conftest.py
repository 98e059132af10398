"""Presence runs on Redis in production and in process memory by default: the tests
that take ``store`` run on both (Redis ones are skipped when it is not reachable)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.conf import settings as django_settings

from forum.presence import tracking


@pytest.fixture(autouse=True)
def _fresh_presence() -> Iterator[None]:
    tracking.clear_local()
    yield
    tracking.clear_local()


@pytest.fixture
def redis_url(settings: Any, monkeypatch: Any) -> Iterator[str]:
    """Presence in a real Redis (TEST_REDIS_URL), under keys of this test only."""
    url = django_settings.TEST_REDIS_URL
    client = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"Redis is not reachable at {url}")
    prefix = f"agora-test:{uuid.uuid4().hex}:presence:"
    monkeypatch.setattr(tracking, "REDIS_PREFIX", prefix)
    settings.REDIS_URL = url
    yield url
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture(params=["memory", "redis"])
def store(request: Any) -> str:
    """Run the test with presence in process memory, then in Redis."""
    if request.param == "redis":
        request.getfixturevalue("redis_url")
    return request.param
