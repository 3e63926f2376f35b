#!/bin/sh
# Container start: migrate and load the bundled content (both idempotent; switch off with MIGRATE=0 or
# LOAD_CONTENT=0), then run the command (gunicorn by default).
set -eu
if [ "${MIGRATE:-1}" = "1" ]; then
  python manage.py migrate --noinput
fi
if [ "${LOAD_CONTENT:-1}" = "1" ]; then
  python manage.py load_content
  python manage.py load_bank
fi
exec "$@"
