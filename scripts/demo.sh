#!/usr/bin/env bash
# make demo: everything the journey needs, on this machine, with nothing to install by hand.
# Falls back to SQLite and eager tasks when PostgreSQL or Redis are not reachable, and says so.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export LUMIRA_ENV=dev
export DJANGO_DEBUG=${DJANGO_DEBUG:-true}
HOST=${DEMO_HOST:-127.0.0.1}
PORT=${DEMO_PORT:-8000}
export SITE_URL="http://$HOST:$PORT"

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
redis_up() { (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && read -r -t 2 line <&3 && [[ "$line" == *PONG* ]]) 2>/dev/null; }

bash scripts/ensure_services.sh >/dev/null 2>&1 || true
if [ -z "${DATABASE_URL:-}" ]; then
  if pg_up; then
    psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='lumira'" | grep -q 1 \
      || psql -h 127.0.0.1 -U postgres -q -c "CREATE DATABASE lumira"
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/lumira
    echo "[demo] database: PostgreSQL (lumira on 127.0.0.1:5432)"
  else
    mkdir -p var && export DATABASE_URL="sqlite:///$(pwd)/var/demo.sqlite3"
    echo "[demo] PostgreSQL is not reachable: falling back to SQLite ($DATABASE_URL)"
  fi
fi
if [ -z "${CELERY_TASK_ALWAYS_EAGER:-}" ] && ! redis_up; then
  export CELERY_TASK_ALWAYS_EAGER=true
  echo "[demo] Redis is not reachable: Celery tasks run eagerly inside the web process"
fi

echo "[demo] applying migrations (the first run takes a minute)"
$BIN/python manage.py migrate -v 0
$BIN/python manage.py load_demo_data

PIDS=()
cleanup() { echo; echo "[demo] stopping"; for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

$BIN/python manage.py runserver "$HOST:$PORT" --noreload &
PIDS+=($!)

# Generation and emails run in Celery: a worker (with the periodic sweep) unless tasks run eagerly.
if [ "${CELERY_TASK_ALWAYS_EAGER:-false}" != "true" ]; then
  $BIN/celery -A lumira worker --beat --loglevel=WARNING &
  PIDS+=($!)
  echo "[demo] Celery worker started (generation with GENERATION_BACKEND=${GENERATION_BACKEND:-local})"
fi

cat <<EOT

==================== Lumira demo ====================
Site      $SITE_URL/
Admin     $SITE_URL/admin/
Desk      $SITE_URL/desk/  (experts: take an order, generate, validate)
API docs  $SITE_URL/api/docs/
Logins    see "Connexions de démo" above (experts and admin); clients sign in by magic link.
Ctrl-C stops everything.
=====================================================
EOT
wait
