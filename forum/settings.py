"""Agora settings, configured by environment variables.

With nothing set, Agora runs embedded: SQLite under ``var/``, a local-memory
cache, e-mail printed to the console, media under ``var/media/`` and background
tasks run inline. Setting ``DATABASE_URL``, ``REDIS_URL``, ``SECRET_KEY``,
``DEBUG=0`` and ``ALLOWED_HOSTS`` switches to production. ``docs/operations.md``
lists every variable.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("AGORA_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str = "") -> str:
    """Return an environment variable, or ``default`` when unset or empty."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """Read an integer environment variable."""
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated list."""
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=not os.environ.get("DATABASE_URL"))
# HTTPS=1 tells Agora it is served over TLS (usually behind a proxy): secure
# cookies, HSTS and the SSL redirect follow from it.
HTTPS = env_bool("HTTPS", default=not DEBUG)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: a fixed, obviously insecure key so sessions survive restarts.
    SECRET_KEY = "django-insecure-agora-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env("SITE_NAME", "Agora")
SITE_ID = 1

INSTALLED_APPS = [
    # Django's admin with Agora's site (branding, dashboard, sign-in through allauth).
    "forum.moderation.apps.AgoraAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_rq",
    "django_tasks_rq",
    "allauth",
    "allauth.account",
    "forum",
    "accounts",
    "forum.boards",
    "forum.threads",
    "forum.posts",
    "forum.search",
    "forum.reactions",
    "forum.moderation",
    "forum.notifications",
    "forum.presence",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Guests' kept pages are served here, before sessions and views (forum/pagecache.py).
    "forum.middleware.GuestPageCacheMiddleware",
    "forum.db_router.ReplicaPinningMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.LastSeenMiddleware",
]

ROOT_URLCONF = "forum.urls"
WSGI_APPLICATION = "forum.wsgi.application"
ASGI_APPLICATION = "forum.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "forum.context_processors.site",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "agora.sqlite3",
            "OPTIONS": {
                # WAL lets readers and the one writer work at once; the busy
                # timeout makes a second writer wait instead of failing.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
# Read replicas (PostgreSQL streaming replicas of the primary), comma-separated
# URLs: each becomes an alias replica_0, replica_1... that GET requests read
# from; see forum/db_router.py for which reads stay on the primary.
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS")
for _index, _url in enumerate(DATABASE_REPLICA_URLS):
    DATABASES[f"replica_{_index}"] = {
        **dj_database_url.parse(
            _url,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        ),
        # A replica is a copy of the primary: tests use the primary's test database.
        "TEST": {"MIRROR": "default"},
    }
if DATABASE_REPLICA_URLS:
    DATABASE_ROUTERS = ["forum.db_router.PrimaryReplicaRouter"]
# After a client writes, its reads stay on the primary this long, so it sees
# its own write even while the replicas lag behind.
DATABASE_REPLICA_PIN_SECONDS = env_int("DATABASE_REPLICA_PIN_SECONDS", 15)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions -----------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # RedisCache that degrades to cache misses while Redis is unreachable.
            "BACKEND": "forum.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "agora"),
            "TIMEOUT": 300,
            # A Redis that does not answer must cost a request milliseconds, not seconds.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    # Sessions read from Redis and fall back to the database, so a Redis
    # restart or outage signs nobody out (the cache answers misses meanwhile).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "agora",
            "TIMEOUT": 300,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30

# --- Authentication (django-allauth) -------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.CachedPermissionsBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_USERNAME_BLACKLIST = ["admin", "administrator", "moderator", "agora", "staff", "system"]
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD = "website"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip,5/h/ip" if not DEBUG else "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
# Behind a reverse proxy every client would share the proxy's address: count
# the proxies that append to X-Forwarded-For so rate limits see the real one.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploaded files go through Django's storage API: a local directory (a volume
# in Docker) by default, or an S3-compatible bucket with MEDIA_STORAGE=s3, so
# that no web node keeps files of its own.
MEDIA_STORAGE = env("MEDIA_STORAGE", "local")
if MEDIA_STORAGE == "s3":
    MEDIA_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "access_key": env("AWS_ACCESS_KEY_ID"),
            "secret_key": env("AWS_SECRET_ACCESS_KEY"),
            "region_name": env("AWS_S3_REGION_NAME") or None,
            # MinIO, Garage, Ceph, R2...: the provider's URL; empty for AWS.
            "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
            # A public host (CDN or bucket website) serving the files without
            # signed URLs; without it, links are signed and expire.
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": not env("AWS_S3_CUSTOM_DOMAIN"),
            "file_overwrite": False,
            "default_acl": None,
        },
    }
    if importlib.util.find_spec("storages") is None:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE=s3 needs django-storages: pip install 'agora[s3]' "
            "(Docker: build with AGORA_EXTRAS=s3)."
        )
    if not MEDIA_BACKEND["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
elif MEDIA_STORAGE == "local":
    MEDIA_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'local' or 's3', not {MEDIA_STORAGE!r}.")
STORAGES = {
    "default": MEDIA_BACKEND,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Serve user media from Django only when no proxy or object store does it.
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=MEDIA_STORAGE == "local")

# --- E-mail -----------------------------------------------------------------
EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=EMAIL_PORT == 465)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# An SMTP server that does not answer must not hang a request for long.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Every e-mail is stored, then sent by a task (forum/mail.py); allauth's too.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"

# --- Background tasks -------------------------------------------------------
# The Django tasks API (the django-tasks backport: moving to Django 6's
# django.tasks is an import change). With Redis, tasks go to an RQ queue that
# the `worker` service runs (manage.py rqworker); without it, they run inline.
# The queue may live in its own Redis (one with persistence, while the cache's
# may evict keys): TASKS_REDIS_URL, by default REDIS_URL.
TASKS_REDIS_URL = env("TASKS_REDIS_URL", REDIS_URL)
if TASKS_REDIS_URL:
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": TASKS_REDIS_URL, "DEFAULT_TIMEOUT": 300}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    RQ_QUEUES = {}

# --- Security ---------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# HSTS preload stays opt-in (SECURE_HSTS_PRELOAD=1): a domain on the browsers'
# preload list takes months to remove, so the deploy check's reminder is silenced.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# A strict Content-Security-Policy: a sanitizer slip must still not run script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "https:", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Logging: to stdout, one JSON object a line in production -----------------
LOG_FORMAT = env("LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "forum.log.JSONFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # RQ's worker configures its own handler; send its lines through ours.
        "rq.worker": {
            "handlers": ["console"],
            "level": env("LOG_LEVEL", "INFO"),
            "propagate": False,
        },
    },
}

# --- Agora ------------------------------------------------------------------
AGORA_POSTS_PER_PAGE = env_int("AGORA_POSTS_PER_PAGE", 20)
# Guests get the board index, topic lists and topic pages from a whole-page
# cache (forum/pagecache.py), and members' topic pages read the topic and its
# posts from the cache (forum/threads/pagedata.py), at most this many seconds
# old (0 turns both off).
AGORA_PAGE_CACHE_SECONDS = env_int("AGORA_PAGE_CACHE_SECONDS", 60)
AGORA_TOPICS_PER_PAGE = env_int("AGORA_TOPICS_PER_PAGE", 25)
AGORA_POST_MAX_LENGTH = env_int("AGORA_POST_MAX_LENGTH", 50_000)
AGORA_TOPIC_TITLE_MAX_LENGTH = 150
# Periodic jobs run in a thread of the web process when there is no Redis and
# no separate scheduler (the embedded default); see forum/jobs.py.
AGORA_INPROCESS_JOBS = env_bool("AGORA_INPROCESS_JOBS", default=not REDIS_URL)
AGORA_CUSTOM_TITLE_MIN_POSTS = env_int("AGORA_CUSTOM_TITLE_MIN_POSTS", 100)
# The PostgreSQL text-search configuration (stemming and stop words) of the
# search index; after changing it, run ``manage.py reindex_search``.
AGORA_SEARCH_CONFIG = env("AGORA_SEARCH_CONFIG", "english")

# Images (forum/images.py): attachments in posts and avatars. Every upload is
# decoded, checked and re-encoded by Pillow; these bound what that may cost.
AGORA_IMAGE_MAX_BYTES = env_int("AGORA_IMAGE_MAX_BYTES", 10 * 1024 * 1024)
AGORA_IMAGE_MAX_PIXELS = env_int("AGORA_IMAGE_MAX_PIXELS", 40_000_000)
# An animation may have this many frames, and all its frames together at most
# AGORA_IMAGE_MAX_PIXELS pixels (each frame is decoded at full size).
AGORA_IMAGE_MAX_FRAMES = env_int("AGORA_IMAGE_MAX_FRAMES", 100)
AGORA_IMAGES_PER_POST = env_int("AGORA_IMAGES_PER_POST", 10)
AGORA_IMAGE_DISPLAY_WIDTH = env_int("AGORA_IMAGE_DISPLAY_WIDTH", 1200)
AGORA_UPLOADS_PER_HOUR = env_int("AGORA_UPLOADS_PER_HOUR", 60)
# Uploads not attached to a post within this many hours are removed.
AGORA_UPLOAD_MAX_AGE_HOURS = env_int("AGORA_UPLOAD_MAX_AGE_HOURS", 24)

# --- Moderation and abuse control ---------------------------------------------
# Members may edit their own posts for this many minutes (0: always); moderators always.
AGORA_EDIT_WINDOW_MINUTES = env_int("AGORA_EDIT_WINDOW_MINUTES", 60)
# At least this many seconds between two posts of one member (0: no limit).
AGORA_POST_INTERVAL_SECONDS = env_int("AGORA_POST_INTERVAL_SECONDS", 15)
# A member is "new" for this many days after joining (0: nobody is new).
AGORA_NEW_MEMBER_DAYS = env_int("AGORA_NEW_MEMBER_DAYS", 3)
# New members: posts an hour (0: no limit), and links and images a post.
AGORA_NEW_MEMBER_POSTS_PER_HOUR = env_int("AGORA_NEW_MEMBER_POSTS_PER_HOUR", 30)
AGORA_NEW_MEMBER_MAX_LINKS = env_int("AGORA_NEW_MEMBER_MAX_LINKS", 3)
AGORA_NEW_MEMBER_MAX_IMAGES = env_int("AGORA_NEW_MEMBER_MAX_IMAGES", 1)
# Hold for a moderator's approval: a member's first N posts (0: none), and posts
# with links by members who joined less than this many hours ago (0: never).
AGORA_APPROVE_FIRST_POSTS = env_int("AGORA_APPROVE_FIRST_POSTS", 0)
AGORA_APPROVE_LINKS_HOURS = env_int("AGORA_APPROVE_LINKS_HOURS", 24)
# Recommended posts, Recently Browsing, following, unread and notifications.
# The "Recommended Posts" block above a topic's replies shows at most this many.
AGORA_RECOMMENDED_POSTS_MAX = env_int("AGORA_RECOMMENDED_POSTS_MAX", 5)
# "Recently Browsing" lists who viewed a page within this many minutes.
AGORA_PRESENCE_MINUTES = env_int("AGORA_PRESENCE_MINUTES", 15)
# ...and names at most this many of them ("and 12 others").
AGORA_PRESENCE_MAX_NAMES = env_int("AGORA_PRESENCE_MAX_NAMES", 50)
# Topics whose last post is older than this many days count as read.
AGORA_UNREAD_DAYS = env_int("AGORA_UNREAD_DAYS", 30)
# A post notifies at most this many @mentioned members.
AGORA_MENTIONS_MAX = env_int("AGORA_MENTIONS_MAX", 20)
# Notifications to followers are written this many rows at a time.
AGORA_NOTIFICATION_BATCH = env_int("AGORA_NOTIFICATION_BATCH", 1000)
AGORA_NOTIFICATIONS_PER_PAGE = env_int("AGORA_NOTIFICATIONS_PER_PAGE", 30)
# A member who chose the digest gets their notification e-mails in one
# message at most this often.
AGORA_DIGEST_HOURS = env_int("AGORA_DIGEST_HOURS", 24)
