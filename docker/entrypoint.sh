#!/bin/sh
# Start Agora in its container: apply migrations, then serve forum.wsgi with gunicorn.
#
# With arguments, run those instead, without migrating first:
#   docker compose run --rm web python manage.py createsuperuser
set -eu

if [ "$#" -gt 0 ]; then
    exec "$@"
fi

python manage.py migrate --noinput

# Access log to stdout, errors to stderr: the container runtime collects both.
# /dev/shm keeps gunicorn's worker heartbeat files off the overlay filesystem.
exec gunicorn forum.wsgi:application \
    --bind 0.0.0.0:8000 \
    --workers "${WEB_CONCURRENCY:-2}" \
    --access-logfile - \
    --error-logfile - \
    --worker-tmp-dir /dev/shm
