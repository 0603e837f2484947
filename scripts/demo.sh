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

mkdir -p var
echo "[demo] applying migrations (the first run takes a minute)"
$BIN/python manage.py migrate -v 0
$BIN/python manage.py load_demo_data

PIDS=()
cleanup() { echo; echo "[demo] stopping"; for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

# Stripe's API for the demo: localstripe (a stateful fake Stripe), with our webhook registered there.
STRIPE_PORT=${DEMO_STRIPE_PORT:-8420}
export STRIPE_API_BASE="http://127.0.0.1:$STRIPE_PORT" STRIPE_JS_URL="http://127.0.0.1:$STRIPE_PORT/js.stripe.com/v3/"
$BIN/localstripe --port "$STRIPE_PORT" --from-scratch >var/localstripe.log 2>&1 &
PIDS+=($!)
for _ in $(seq 1 40); do curl -sf "$STRIPE_JS_URL" >/dev/null && break; sleep 0.25; done
$BIN/python manage.py stripe_bootstrap
echo "[demo] localstripe on $STRIPE_API_BASE, webhook registered"

if [ "${CELERY_TASK_ALWAYS_EAGER:-false}" != "true" ]; then
  # Generation and emails run in Celery: a real worker through Redis, with the periodic tasks (beat).
  $BIN/celery -A lumira worker --beat --loglevel=WARNING --concurrency=2 --schedule=var/celerybeat-schedule &
  PIDS+=($!)
  echo "[demo] Celery worker started (Redis at 127.0.0.1:6379, GENERATION_BACKEND=${GENERATION_BACKEND:-local})"
fi

$BIN/python manage.py runserver "$HOST:$PORT" --noreload &
PIDS+=($!)

cat <<EOT

==================== Lumira demo ====================
Site       $SITE_URL/
Order      $SITE_URL/commander/   (test card 4242 4242 4242 4242, any future date, any CVC)
Desk       $SITE_URL/desk/       (experts: take an order, generate, validate)
Sanctuaire $SITE_URL/sanctuaire/  (magic link: printed in this console, as emails are)
Admin      $SITE_URL/admin/
API docs   $SITE_URL/api/docs/
Health     $SITE_URL/health/
Logins     see "Connexions de démo" above (experts and admin); clients sign in by magic link.
Ctrl-C stops everything.
=====================================================
EOT
wait
