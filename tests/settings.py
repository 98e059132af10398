"""Test settings: the real settings, with fast password hashing and no shared state.

The suite runs on SQLite by default and on PostgreSQL when DATABASE_URL is set.
Redis is used only by the tests that ask for it (the ``redis_url`` fixture).
"""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SECRET_KEY", "agora-tests-not-secret")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("DEBUG", "0")
if "AGORA_VAR_DIR" not in os.environ:
    _scratch = tempfile.mkdtemp(prefix="agora-tests-")
    os.environ["AGORA_VAR_DIR"] = _scratch
    atexit.register(shutil.rmtree, _scratch, ignore_errors=True)

from forum.settings import *  # noqa: E402, F403
from forum.settings import REDIS_URL, STATIC_ROOT, VAR_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Each test run gets its own in-process cache; Redis-backed behaviour is
# tested explicitly with the ``redis_url`` fixture.
TEST_REDIS_URL = REDIS_URL or "redis://127.0.0.1:6379/0"
REDIS_URL = ""
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "agora-tests",
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
ACCOUNT_RATE_LIMITS = {}
# Abuse control is off for the suite; its own tests turn each limit on.
AGORA_POST_INTERVAL_SECONDS = 0
AGORA_NEW_MEMBER_DAYS = 0
AGORA_APPROVE_LINKS_HOURS = 0
LOGGING = {"version": 1, "disable_existing_loggers": False}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
AGORA_INPROCESS_JOBS = False
# Tasks run inline, whatever REDIS_URL says; tests/test_worker.py runs a real
# worker against TEST_REDIS_URL.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
RQ_QUEUES = {}

# The guest page cache is tested on its own (tests/test_pagecache.py); elsewhere
# every request renders, so tests that change rows directly see the change.
AGORA_PAGE_CACHE_SECONDS = 0
