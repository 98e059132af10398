"""The deployment files agree with the settings, and production settings pass Django's checks.

No Docker engine is needed: docker-compose.yml and .env.example are read as
files and compared with the variables ``forum/settings.py`` reads, and
``manage.py check --deploy`` runs in a subprocess with production-like
environment variables.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_SOURCE = (ROOT / "forum" / "settings.py").read_text()
COMPOSE_SOURCE = (ROOT / "docker-compose.yml").read_text()
COMPOSE = yaml.safe_load(COMPOSE_SOURCE)
ENV_EXAMPLE = (ROOT / ".env.example").read_text()

# Variables the deployment files may name although the settings do not read
# them, with the file that does.
NOT_SETTINGS = {
    "WEB_CONCURRENCY": "docker/entrypoint.sh",  # gunicorn workers
    "POSTGRES_PASSWORD": "docker-compose.yml",  # the db service, and DATABASE_URL
    "AGORA_EXTRAS": "Dockerfile",  # optional dependencies built into the image (s3)
}
PRODUCTION_NEEDS = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}

_SETTINGS_READ = re.compile(
    r"""\b(?:env|env_bool|env_int|env_list|os\.environ\.get)\(\s*["']([A-Z][A-Z0-9_]*)["']"""
)
# `NAME=value` and the commented `# NAME=value` that documents a default.
_ENV_LINE = re.compile(r"^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$")


def settings_variables() -> set[str]:
    """The environment variables forum/settings.py reads."""
    return set(_SETTINGS_READ.findall(SETTINGS_SOURCE))


def env_example() -> tuple[dict[str, str], set[str]]:
    """The variables .env.example sets, and every variable it documents."""
    active: dict[str, str] = {}
    documented: set[str] = set()
    for line in ENV_EXAMPLE.splitlines():
        match = _ENV_LINE.match(line.strip())
        if match:
            commented, name, value = match.groups()
            documented.add(name)
            if not commented:
                active[name] = value
    return active, documented


def service_environment(name: str) -> dict[str, str]:
    """A compose service's ``environment``, whether written as a mapping or a list."""
    environment = COMPOSE["services"][name].get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {key: str(value) for key, value in environment.items()}


def as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


# --- docker-compose.yml --------------------------------------------------------


def test_settings_read_the_production_variables():
    assert settings_variables() >= PRODUCTION_NEEDS | {"HTTPS", "MEDIA_ROOT", "LOG_LEVEL"}


@pytest.mark.parametrize("service", ["web", "db", "redis", "proxy"])
def test_compose_service_exists_with_a_healthcheck(service):
    definition = COMPOSE["services"][service]
    healthcheck = definition.get("healthcheck")
    assert healthcheck, f"{service} has no healthcheck"
    assert healthcheck.get("test"), f"{service}'s healthcheck has no test"
    assert not healthcheck.get("disable")


def test_web_starts_after_healthy_db_and_redis():
    web = COMPOSE["services"]["web"]
    build = web["build"]
    assert (build if isinstance(build, str) else build["context"]) == "."
    assert ".env" in as_list(web.get("env_file"))
    depends_on = web["depends_on"]
    assert depends_on["db"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"


def test_scheduler_runs_the_periodic_jobs_after_migrations():
    scheduler = COMPOSE["services"]["scheduler"]
    command = scheduler["command"]
    command = command if isinstance(command, list) else command.split()
    assert command[-2:] == ["manage.py", "run_jobs"]
    assert (ROOT / "forum" / "management" / "commands" / "run_jobs.py").exists()
    # web migrates before gunicorn answers its health check.
    assert scheduler["depends_on"]["web"]["condition"] == "service_healthy"
    assert service_environment("scheduler") == service_environment("web")
    # The image's health check asks gunicorn, which the scheduler does not run.
    assert scheduler["healthcheck"].get("disable") is True


def _settings_under_compose() -> dict[str, object]:
    """TASKS, RQ_QUEUES and friends as forum/settings.py computes them for the web service."""
    active, _ = env_example()
    variables = {**active, **service_environment("web")}
    variables["SECRET_KEY"] = _secret_key()
    # The same settings, without the PostgreSQL server the compose file starts.
    variables["DATABASE_URL"] = "sqlite:////tmp/agora-deploy-check.sqlite3"
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env.update(variables)
    env["DJANGO_SETTINGS_MODULE"] = "forum.settings"
    script = (
        "import json; from django.conf import settings as s\n"
        "print(json.dumps({'TASKS': s.TASKS, 'RQ_QUEUES': s.RQ_QUEUES, 'REDIS_URL': s.REDIS_URL,"
        " 'CACHE': s.CACHES['default']['BACKEND'], 'SESSION_ENGINE': s.SESSION_ENGINE,"
        " 'INPROCESS_JOBS': s.AGORA_INPROCESS_JOBS, 'STORAGE': s.STORAGES['default']['BACKEND'],"
        " 'LOG_FORMAT': s.LOG_FORMAT}))\n"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_worker_runs_the_queue_the_settings_enqueue_to():
    worker = COMPOSE["services"]["worker"]
    command = worker["command"]
    assert command[:4] == ["python", "manage.py", "rqworker", "default"]
    assert "--with-scheduler" in command  # runs the retries deferred by forum.tasks.retrying
    assert command[command.index("--job-class") + 1] == "django_tasks_rq.Job"
    assert service_environment("worker") == service_environment("web")
    assert worker["depends_on"]["web"]["condition"] == "service_healthy"
    assert worker["healthcheck"].get("disable") is True

    configured = _settings_under_compose()
    assert configured["TASKS"]["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    queues = [arg for arg in command[3:] if not arg.startswith("-") and "." not in arg]
    assert queues == configured["TASKS"]["default"]["QUEUES"]
    assert set(queues) <= set(configured["RQ_QUEUES"])
    assert configured["RQ_QUEUES"]["default"]["URL"] == service_environment("web")["REDIS_URL"]
    # The rest of the production wiring the compose file implies.
    assert configured["CACHE"] == "forum.cache.TolerantRedisCache"
    assert configured["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert configured["INPROCESS_JOBS"] is False  # the scheduler service runs them
    assert configured["STORAGE"] == "django.core.files.storage.FileSystemStorage"
    assert configured["LOG_FORMAT"] == "json"


def test_redis_keeps_the_queue_across_restarts():
    command = " ".join(COMPOSE["services"]["redis"]["command"])
    assert "--appendonly yes" in command


def test_proxy_serves_media_from_the_volume_and_proxies_to_web():
    proxy = COMPOSE["services"]["proxy"]
    assert proxy["profiles"] == ["proxy"]
    mounts = {target: source for source, target, *_ in (v.split(":") for v in proxy["volumes"])}
    config = mounts["/etc/nginx/conf.d/default.conf"]
    source = (ROOT / config).read_text()
    web_media = service_environment("web")["MEDIA_ROOT"]
    web_mounts = {
        t: s for s, t, *_ in (v.split(":") for v in COMPOSE["services"]["web"]["volumes"])
    }
    # The proxy reads the very volume web writes uploads to, read-only.
    assert f"{web_mounts[web_media]}:/data/media:ro" in proxy["volumes"]
    assert "root /data;" in source and "location /static/" in source
    assert "server web:8000;" in source and "X-Forwarded-Proto" in source
    assert "Content-Security-Policy" in source and "nosniff" in source


def test_web_healthcheck_requests_healthz():
    test = COMPOSE["services"]["web"]["healthcheck"]["test"]
    command = " ".join(test) if isinstance(test, list) else test
    script = re.search(r"/app/(\S+\.py)", command)
    assert script, command
    source = (ROOT / script.group(1)).read_text()
    assert "http://127.0.0.1:8000/healthz" in source
    assert "ALLOWED_HOSTS" in source  # Django rejects a Host it does not allow


def test_web_environment_names_only_variables_the_settings_read():
    unknown = set(service_environment("web")) - settings_variables() - set(NOT_SETTINGS)
    assert not unknown, f"docker-compose.yml sets variables nothing reads: {sorted(unknown)}"


def test_interpolated_variables_are_documented_in_env_example():
    _, documented = env_example()
    interpolated = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", COMPOSE_SOURCE))
    assert interpolated, "expected the database password to come from .env"
    assert interpolated <= documented


def test_web_gets_what_production_needs():
    active, _ = env_example()
    provided = set(service_environment("web")) | set(active)
    missing = PRODUCTION_NEEDS - provided
    assert not missing, f"web lacks {sorted(missing)}"
    assert service_environment("web")["DEBUG"] in {"0", "false", "False"}


def test_media_lives_on_a_named_volume_at_media_root():
    web = COMPOSE["services"]["web"]
    media_root = service_environment("web")["MEDIA_ROOT"]
    mounts = {
        target: source for source, target, *_ in (volume.split(":") for volume in web["volumes"])
    }
    assert mounts.get(media_root) in COMPOSE["volumes"]


@pytest.mark.parametrize("service", ["db", "redis"])
def test_data_services_keep_their_data_on_named_volumes(service):
    sources = {volume.split(":")[0] for volume in COMPOSE["services"][service]["volumes"]}
    assert sources & set(COMPOSE["volumes"])


# --- .env.example ----------------------------------------------------------------------


def test_env_example_names_only_variables_something_reads():
    _, documented = env_example()
    unknown = documented - settings_variables() - set(NOT_SETTINGS)
    assert not unknown, f".env.example documents variables nothing reads: {sorted(unknown)}"


def test_env_example_documents_every_variable_the_settings_read():
    _, documented = env_example()
    missing = settings_variables() - documented
    assert not missing, f".env.example does not document: {sorted(missing)}"


def test_readme_lists_every_variable_the_settings_read():
    readme = (ROOT / "README.md").read_text()
    missing = {name for name in settings_variables() if f"`{name}`" not in readme}
    assert not missing, f"README.md's configuration table lacks: {sorted(missing)}"


def test_readme_links_only_files_that_exist():
    readme = (ROOT / "README.md").read_text()
    targets = re.findall(r"\]\(([^)#\s]+)", readme)
    local = [target for target in targets if "://" not in target]
    assert "docs/architecture.md" in local
    missing = [target for target in local if not (ROOT / target).exists()]
    assert not missing, f"README.md links to missing files: {missing}"


@pytest.mark.parametrize(("name", "user"), sorted(NOT_SETTINGS.items()))
def test_variables_outside_the_settings_are_used_where_claimed(name, user):
    assert name in (ROOT / user).read_text()


# --- Image --------------------------------------------------------------------------


def test_dockerfile_runs_unprivileged_with_a_healthcheck():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "python:3.11-slim" in dockerfile
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.M)
    assert users and users[-1] not in {"root", "0"}
    assert "HEALTHCHECK" in dockerfile
    assert "ENTRYPOINT" in dockerfile and "docker/entrypoint.sh" in dockerfile


def test_entrypoint_migrates_under_a_lock_then_execs_gunicorn():
    entrypoint = ROOT / "docker" / "entrypoint.sh"
    assert entrypoint.stat().st_mode & stat.S_IXUSR
    subprocess.run(["sh", "-n", str(entrypoint)], check=True)  # noqa: S603, S607
    source = entrypoint.read_text()
    assert source.index("manage.py migrate_locked --noinput") < source.index(
        "exec gunicorn forum.wsgi"
    )
    assert (ROOT / "forum" / "management" / "commands" / "migrate_locked.py").exists()


def test_image_can_back_up_and_collects_static_files_at_build_time():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "postgresql-client" in dockerfile  # pg_dump and pg_restore for manage.py backup
    assert "collectstatic --noinput" in dockerfile
    assert "ARG AGORA_EXTRAS" in dockerfile


# --- manage.py check --deploy ------------------------------------------------------------


def _deploy_check(variables: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # A clean environment: nothing leaks in from the test run (DJANGO_SETTINGS_MODULE,
    # a CI DATABASE_URL...).
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env.update(variables)
    env["DJANGO_SETTINGS_MODULE"] = "forum.settings"
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _secret_key() -> str:
    return secrets.token_urlsafe(60)[:60]


def test_production_settings_pass_the_deploy_checks():
    result = _deploy_check(
        {
            "DEBUG": "0",
            "SECRET_KEY": _secret_key(),
            "ALLOWED_HOSTS": "forum.example.com",
            "HTTPS": "1",
            "SITE_URL": "https://forum.example.com",
            "DATABASE_URL": "sqlite:////tmp/agora-deploy-check.sqlite3",
        }
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output


@pytest.mark.parametrize(
    ("site_url", "message"),
    [
        ("", "agora.W002"),  # the default, http://127.0.0.1:8000
        ("https://other.example.org", "agora.W003"),
        ("http://forum.example.com", "agora.W004"),
    ],
)
def test_deploy_checks_catch_a_site_url_members_cannot_follow(site_url, message):
    variables = {
        "DEBUG": "0",
        "SECRET_KEY": _secret_key(),
        "ALLOWED_HOSTS": "forum.example.com",
        "HTTPS": "1",
        "DATABASE_URL": "sqlite:////tmp/agora-deploy-check.sqlite3",
    }
    if site_url:
        variables["SITE_URL"] = site_url
    result = _deploy_check(variables)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr


def test_the_documented_compose_configuration_passes_the_deploy_checks():
    active, _ = env_example()
    variables = {**active, **service_environment("web")}
    variables["SECRET_KEY"] = _secret_key()
    # The same settings, without the PostgreSQL server the compose file starts.
    variables["DATABASE_URL"] = "sqlite:////tmp/agora-deploy-check.sqlite3"
    result = _deploy_check(variables)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output
