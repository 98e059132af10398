# Agora's production image: gunicorn serving forum.wsgi, static files collected
# at build time and served by whitenoise, migrations applied when it starts.
# The same image runs the task worker and the scheduler (another command).
# docker-compose.yml runs it next to PostgreSQL and Redis; see README.md and
# docs/operations.md.

# Debian trixie: its postgresql-client (17) can dump the PostgreSQL 16 of the
# compose file (pg_dump must not be older than the server).
ARG PYTHON_IMAGE=python:3.11-slim-trixie

# --- builder: the project and its dependencies in a virtualenv --------------------
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /src
# What `pip install .` needs: the metadata (README.md is the long description)
# and the packages. No test or dev extras; AGORA_EXTRAS=s3 adds the S3 media
# storage (django-storages and boto3, about 35 MB).
ARG AGORA_EXTRAS=""
COPY pyproject.toml README.md ./
COPY forum ./forum
COPY accounts ./accounts
RUN pip install ".${AGORA_EXTRAS:+[$AGORA_EXTRAS]}"

# --- final: the virtualenv and the source, run as an unprivileged user ------------
FROM ${PYTHON_IMAGE}

# PYTHONPATH puts /app first, so every process imports the source tree next
# to templates/ and static/ (which the installed package does not contain).
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=forum.settings \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media

# pg_dump and pg_restore, for manage.py backup and restore.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

# The media directory belongs to the app user, so a named volume mounted there
# starts out writable by it.
RUN groupadd --system --gid 10001 agora \
    && useradd --system --uid 10001 --gid agora --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin agora \
    && mkdir -p /data/media \
    && chown agora:agora /data/media

COPY --from=builder /opt/venv /opt/venv

WORKDIR /app
# The source stays owned by root: the app user can read it, not change it.
COPY . .

# collectstatic reads the settings, which refuse to start without SECRET_KEY
# when DEBUG is off; DEBUG=0 selects whitenoise's compressed manifest storage.
# The key below exists only for this command and is not kept in the image.
RUN DEBUG=0 SECRET_KEY=build-time-only-collectstatic AGORA_VAR_DIR=/tmp/agora-build \
        python manage.py collectstatic --noinput \
    && rm -rf /tmp/agora-build \
    && python -m compileall -q forum accounts \
    && chmod 0755 docker/entrypoint.sh

USER agora
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py"]

ENTRYPOINT ["/app/docker/entrypoint.sh"]
