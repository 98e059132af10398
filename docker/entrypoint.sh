#!/bin/sh
# Start Agora in its container: apply migrations, then serve forum.wsgi with gunicorn.
#
# With arguments, run those instead, without migrating first (the compose
# worker and scheduler services, and one-off commands):
#   docker compose run --rm web python manage.py createsuperuser
set -eu

if [ "$#" -gt 0 ]; then
    exec "$@"
fi

# Several web containers may start at once (scaling out, a rolling upgrade):
# migrate_locked holds a PostgreSQL advisory lock, so one of them migrates and
# the others wait for it, then find nothing left to do.
python manage.py migrate_locked --noinput

# Access log to stdout, errors to stderr: the container runtime collects both.
# /dev/shm keeps gunicorn's worker heartbeat files off the overlay filesystem.
exec gunicorn forum.wsgi:application \
    --bind 0.0.0.0:8000 \
    --workers "${WEB_CONCURRENCY:-2}" \
    --access-logfile - \
    --error-logfile - \
    --worker-tmp-dir /dev/shm
