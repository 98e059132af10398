"""The site keeps serving when Redis dies; /readyz tells when a dependency is down.

Redis here is a redis-server this module starts on a free port, then stops
and starts again (the machine's own Redis is never touched).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from django.core.cache import caches
from django.test import Client

from forum import cache as tolerant
from forum.threads.counters import count_view, flush_views, pending_views
from tests.factories import PASSWORD, make_topic

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A throwaway redis-server: start, kill, start again on the same port."""

    def __init__(self, directory: Path) -> None:
        self.port = _free_port()
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port),
             "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process and server.process.poll() is None:
        server.kill()


@pytest.fixture
def redis_site(settings: Any, redis_server: RedisServer, monkeypatch: Any) -> RedisServer:
    """The production cache and session setup, on the throwaway Redis."""
    settings.CACHES = {
        "default": {
            "BACKEND": "forum.cache.TolerantRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "agora-test",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.REDIS_URL = redis_server.url
    # Try Redis again at once after a failure, so the test need not wait.
    monkeypatch.setattr(tolerant, "RETRY_AFTER", 0.0)
    return redis_server


def _pages(client: Client, topic: Any) -> list[int]:
    return [
        client.get(path).status_code
        for path in ["/", topic.forum.get_absolute_url(), topic.get_absolute_url()]
    ]


@pytest.mark.django_db
def test_killing_and_restarting_redis_leaves_the_site_serving(redis_site, member, settings):
    # Production's rate limits: allauth keeps them in the cache, behind a cache lock.
    settings.ACCOUNT_RATE_LIMITS = {"login": "30/m/ip", "login_failed": "10/m/ip,5/5m/key"}
    topic = make_topic(replies=2)
    member_client, guest = Client(), Client()
    member_client.force_login(member)
    cache = caches["default"]
    assert _pages(member_client, topic) == [200, 200, 200]
    assert cache.get(f"last-seen:{member.pk}") == 1  # the cache is in use

    redis_site.kill()
    # Cache misses, no errors: members stay signed in (sessions fall back to
    # the database), guests read, a member replies.
    assert _pages(member_client, topic) == [200, 200, 200]
    assert _pages(guest, topic) == [200, 200, 200]
    response = member_client.post(f"{topic.get_absolute_url()}reply/", {"body": "Still here."})
    assert response.status_code == 302
    signing_in = Client()
    response = signing_in.post("/accounts/login/", {"login": member.username, "password": PASSWORD})
    assert response.status_code == 302 and signing_in.session["_auth_user_id"] == str(member.pk)
    assert cache.get("anything", "default") == "default"
    assert cache.add("lock", 1) is True  # locks and gates open rather than lock everyone out
    with pytest.raises(ValueError):
        cache.incr("counter")
    count_view(topic.pk)  # dropped, not raised
    assert pending_views([topic.pk]) == {}
    assert flush_views() == 0  # the scheduler's job waits for Redis, without an error

    redis_site.start()  # empty: the cache was lost
    assert _pages(member_client, topic) == [200, 200, 200]
    cache.set("back", 1)
    assert cache.get("back") == 1
    assert "Still here." in member_client.get(topic.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_keys_written_during_an_outage_are_invalidated_when_redis_answers_again(redis_site):
    cache = caches["default"]
    cache.set("session-like", "before the outage")
    client = redis.Redis(port=redis_site.port)
    # Redis stops answering, without losing its data (a network partition, a stall).
    client.execute_command("CLIENT", "PAUSE", 1500, "ALL")
    cache.set("session-like", "changed during the outage")  # fails, remembered as stale
    cache.delete("ended-session")
    time.sleep(1.6)
    # The first answer after the outage deletes what may be stale, instead of
    # serving the value from before the outage.
    assert cache.get("session-like") is None
    cache.set("session-like", "fresh")
    assert cache.get("session-like") == "fresh"


# --- /readyz -------------------------------------------------------------------------


@pytest.mark.django_db
def test_readyz_answers_ok_when_database_and_cache_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"ready": True, "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_reports_a_dead_redis(redis_site, client):
    assert client.get("/readyz").status_code == 200
    redis_site.kill()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"ready": False, "database": "ok", "cache": "unreachable"}
    assert client.get("/healthz").status_code == 200  # the process itself is fine


def _readyz_in_a_process(**variables: str) -> tuple[int, str]:
    """GET /readyz in a fresh process with production settings and ``variables``."""
    keep = {"PATH", "HOME", "LANG", "TMPDIR"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env.update(
        DJANGO_SETTINGS_MODULE="forum.settings",
        DEBUG="0",
        HTTPS="0",
        SECRET_KEY="agora-readyz-test",
        ALLOWED_HOSTS="testserver",
        LOG_FORMAT="plain",
        **variables,
    )
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "r = Client().get('/readyz')\n"
        "print(r.status_code, r.content.decode())\n"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().splitlines()[-1].split(" ", 1)
    return int(status), body


def test_readyz_fails_when_the_database_is_down(tmp_path: Path):
    # PostgreSQL on a port nobody listens on: the server is down.
    status, body = _readyz_in_a_process(
        DATABASE_URL=f"postgres://agora@127.0.0.1:{_free_port()}/agora",
        AGORA_VAR_DIR=str(tmp_path),
    )
    assert status == 503
    assert '"database": "unreachable"' in body and '"cache": "ok"' in body


def test_readyz_fails_when_redis_is_down(tmp_path: Path):
    status, body = _readyz_in_a_process(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        REDIS_URL=f"redis://127.0.0.1:{_free_port()}/0",
        AGORA_VAR_DIR=str(tmp_path),
    )
    assert status == 503
    assert '"database": "ok"' in body and '"cache": "unreachable"' in body
