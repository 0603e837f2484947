#!/usr/bin/env bash
# make demo: everything the journey needs, on this machine, with nothing to install by hand.
# Falls back to SQLite and eager tasks when PostgreSQL or Redis are not reachable, and says so
# (scripts/demo_env.py decides: database, Celery mode, free ports). Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export LUMIRA_ENV=dev
export DJANGO_DEBUG=${DJANGO_DEBUG:-true}
export PYTHONUNBUFFERED=1  # console emails (magic links) and logs show up at once
HOST=${DEMO_HOST:-127.0.0.1}

bash scripts/ensure_services.sh >/dev/null 2>&1 || true
DECISIONS=$($BIN/python scripts/demo_env.py) || exit 2
eval "$DECISIONS"
export SITE_URL="http://$HOST:$DEMO_PORT"
export STRIPE_API_BASE="http://127.0.0.1:$DEMO_STRIPE_PORT"
export STRIPE_JS_URL="$STRIPE_API_BASE/js.stripe.com/v3/"
mkdir -p var

echo "[demo] migrations (the first run takes about two minutes: dj-stripe's migrations)"
PYTHON=$BIN/python bash scripts/entrypoint.sh migrate -v 0
LOGINS=$($BIN/python manage.py load_demo_data)
echo "$LOGINS"

# Each service runs in its own session (setsid), so stopping it stops its children too (Celery's pool, beat).
PGIDS=()
start() { setsid "$@" & PGIDS+=($!); }
stopping=""
cleanup() {
  [ -n "$stopping" ] && return
  stopping=1
  echo; echo "[demo] stopping (${#PGIDS[@]} services)"
  for pgid in "${PGIDS[@]}"; do kill -TERM -- "-$pgid" 2>/dev/null || true; done
  for _ in $(seq 1 50); do
    alive=0
    for pgid in "${PGIDS[@]}"; do kill -0 -- "-$pgid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.2
  done
  for pgid in "${PGIDS[@]}"; do kill -KILL -- "-$pgid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "[demo] stopped"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# Stripe's API for the demo: localstripe (a stateful fake Stripe, with its fake Stripe.js), our webhook registered.
start $BIN/localstripe --port "$DEMO_STRIPE_PORT" --from-scratch >var/localstripe.log 2>&1
for _ in $(seq 1 80); do curl -sf -o /dev/null "$STRIPE_JS_URL" && break; sleep 0.25; done
curl -sf -o /dev/null "$STRIPE_JS_URL" || { echo "[demo] localstripe did not start (var/localstripe.log):"; tail -20 var/localstripe.log; exit 1; }
PYTHON=$BIN/python bash scripts/entrypoint.sh stripe-bootstrap
echo "[demo] localstripe on $STRIPE_API_BASE (log: var/localstripe.log)"

if [ "$CELERY_TASK_ALWAYS_EAGER" = "true" ]; then
  CELERY_LINE="eager: tasks run inside the web server (no worker); emails are printed by the web server"
else
  # Generation and emails run in Celery: a real worker through Redis, with the periodic tasks (beat).
  # Its own queue (and beat schedule file) per site port: two demos on one machine never share tasks.
  start $BIN/celery -A lumira worker --beat --loglevel=WARNING --concurrency=2 \
    --schedule="var/celerybeat-schedule-$DEMO_PORT" -Q "$CELERY_TASK_DEFAULT_QUEUE" -n "demo-$DEMO_PORT@%h"
  CELERY_LINE="worker + beat on $CELERY_BROKER_URL, queue $CELERY_TASK_DEFAULT_QUEUE; emails are printed by the worker"
fi

start $BIN/python manage.py runserver "$HOST:$DEMO_PORT" --noreload
for _ in $(seq 1 80); do curl -sf -o /dev/null "$SITE_URL/" && break; sleep 0.25; done

cat <<EOT

==================== Lumira demo ====================
Site       $SITE_URL/
Order      $SITE_URL/commander/   (card 4242 4242 4242 4242, any future date, any CVC)
Desk       $SITE_URL/desk/       (experts: take an order, generate, reject/approve)
Sanctuaire $SITE_URL/sanctuaire/  (magic link: printed in this console, as every email is)
Admin      $SITE_URL/admin/
API docs   $SITE_URL/api/docs/   (schema: $SITE_URL/api/schema/)
Health     $SITE_URL/health/
Stripe     $STRIPE_API_BASE (localstripe)
Database   $DATABASE_URL
Celery     $CELERY_LINE
Generator  ${GENERATION_BACKEND:-local}
$LOGINS
Ctrl-C stops everything.
=====================================================
EOT

# Until Ctrl-C, or until a service dies (then everything stops, and the reason is above).
set +e
wait -n
echo "[demo] a service stopped unexpectedly"
exit 1
