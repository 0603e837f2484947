#!/usr/bin/env bash
# One entry point for every Lumira process, shared by the Docker image (ENTRYPOINT), compose.yaml and the
# Makefile (make migrate / serve / worker / beat), so that the container runs exactly what developers run.
# PYTHON / CELERY default to the ones on PATH (the image's); the Makefile points them at .venv/bin.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python}
CELERY=${CELERY:-celery}
GUNICORN=${GUNICORN:-gunicorn}

command=${1:-web}
shift || true
case "$command" in
  migrate)
    # Idempotent: a second run applies nothing. The dj-stripe migrations take about two minutes the first time.
    exec "$PYTHON" manage.py migrate --noinput "$@" ;;
  stripe-bootstrap)
    # localstripe only (dev profile): Account/APIKey rows and the webhook endpoint, after each localstripe start.
    exec "$PYTHON" manage.py stripe_bootstrap "$@" ;;
  web)
    # prometheus_client's multiprocess mode needs an empty directory shared by the workers (lumira/metrics.py).
    if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then rm -rf "${PROMETHEUS_MULTIPROC_DIR:?}"/*; mkdir -p "$PROMETHEUS_MULTIPROC_DIR"; fi
    exec "$GUNICORN" lumira.wsgi:application --bind "0.0.0.0:${PORT:-8000}" --workers "${WEB_WORKERS:-3}" \
      --access-logfile - --config gunicorn.conf.py "$@" ;;
  worker)
    exec "$CELERY" -A lumira worker --loglevel=INFO "$@" ;;
  beat)
    exec "$CELERY" -A lumira beat --loglevel=INFO --schedule="${BEAT_SCHEDULE:-/tmp/celerybeat-schedule}" \
      --pidfile="${BEAT_PIDFILE:-/tmp/celerybeat.pid}" "$@" ;;
  *)
    echo "usage: scripts/entrypoint.sh migrate|stripe-bootstrap|web|worker|beat [args]" >&2
    exit 64 ;;
esac
