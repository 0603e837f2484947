#!/usr/bin/env bash
# make lighthouse: start the app on demo data (DEBUG off, static files through whitenoise) and print
# Lighthouse's four scores (mobile emulation) for the client pages and the desk. Not part of `make test`.
#
# Lighthouse comes from npm, installed once outside the repository (LIGHTHOUSE_DIR). 12.8.2 is the newest
# release that runs on Node 20 (13.x needs Node >= 22.19). Chromium is Debian's (CHROME_PATH), run with
# --headless=new --no-sandbox --disable-gpu by scripts/lighthouse_run.mjs, which also signs pages in by cookie.
# The database is a scratch PostgreSQL database kept between runs (LIGHTHOUSE_DATABASE_URL).
# Each page is run LIGHTHOUSE_RUNS times (default 3) and Lighthouse's median run is kept; the host's benchmarkIndex
# is printed with it (a shared, busy CPU inflates Total Blocking Time). Reports (JSON) are kept in var/lighthouse/.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
LIGHTHOUSE_VERSION=${LIGHTHOUSE_VERSION:-12.8.2}
LIGHTHOUSE_DIR=${LIGHTHOUSE_DIR:-/root/.cache/lumira/lighthouse}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
REPORTS=${LIGHTHOUSE_REPORTS:-var/lighthouse}

LH="$LIGHTHOUSE_DIR/node_modules/.bin/lighthouse"
if [ ! -x "$LH" ] || [ "$("$LH" --version 2>/dev/null)" != "$LIGHTHOUSE_VERSION" ]; then
  echo "[lighthouse] installing lighthouse@$LIGHTHOUSE_VERSION into $LIGHTHOUSE_DIR"
  mkdir -p "$LIGHTHOUSE_DIR"
  npm install --no-audit --no-fund --silent --prefix "$LIGHTHOUSE_DIR" "lighthouse@$LIGHTHOUSE_VERSION"
fi

bash scripts/ensure_services.sh >/dev/null
free_port() { $BIN/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=${LIGHTHOUSE_PORT:-$(free_port)}
STRIPE_PORT=$(free_port)
DB_NAME=${LIGHTHOUSE_DB_NAME:-lumira_lighthouse}
export LUMIRA_ENV=dev DJANGO_DEBUG=false CELERY_TASK_ALWAYS_EAGER=true
export DATABASE_URL=${LIGHTHOUSE_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/$DB_NAME}
export SITE_URL="http://127.0.0.1:$PORT"
export STRIPE_API_BASE="http://127.0.0.1:$STRIPE_PORT"
export STRIPE_JS_URL="$STRIPE_API_BASE/js.stripe.com/v3/"
mkdir -p var "$REPORTS"

psql -h 127.0.0.1 -U postgres -qtAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -q -c "CREATE DATABASE $DB_NAME"
echo "[lighthouse] migrations and demo data ($DB_NAME; the first run takes a few minutes)"
$BIN/python manage.py migrate -v 0
$BIN/python manage.py load_demo_data >/dev/null
$BIN/python manage.py collectstatic --noinput -v 0

PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
setsid $BIN/localstripe --port "$STRIPE_PORT" --from-scratch >var/lighthouse-localstripe.log 2>&1 & PIDS+=($!)
setsid $BIN/python manage.py runserver "127.0.0.1:$PORT" --noreload >var/lighthouse-server.log 2>&1 & PIDS+=($!)
for _ in $(seq 1 120); do curl -sf -o /dev/null "$SITE_URL/" && curl -sf -o /dev/null "$STRIPE_JS_URL" && break; sleep 0.5; done
curl -sf -o /dev/null "$SITE_URL/" || { echo "[lighthouse] the app did not start:"; tail -20 var/lighthouse-server.log; exit 1; }

echo "[lighthouse] ${LIGHTHOUSE_RUNS:-3} runs a page, the median run kept; cpu = Lighthouse's benchmarkIndex of this host"
echo "[lighthouse] (under 1000 Lighthouse warns that a slow or busy CPU lowers the performance score)"
printf "%-18s %5s %5s %5s %5s %6s\n" page perf a11y bp seo cpu
while IFS=$'\t' read -r name path cookie; do
  [ "$cookie" = "-" ] && cookie=""
  node scripts/lighthouse_run.mjs "$LIGHTHOUSE_DIR" "$SITE_URL$path" "$REPORTS/$name.json" "$cookie" >/dev/null 2>&1 \
    || { printf "%-18s failed (run: node scripts/lighthouse_run.mjs %s %s %s)\n" "$name" "$LIGHTHOUSE_DIR" "$SITE_URL$path" "$REPORTS/$name.json"; continue; }
  $BIN/python - "$name" "$REPORTS/$name.json" <<'PY'
import json, sys
name, path = sys.argv[1:]
report = json.load(open(path))
if report.get("runtimeError"):
    sys.exit(print(f"{name:<18} no score: {report['runtimeError']['code']} (Lighthouse: run it again)"))
scores = [report["categories"][key]["score"] for key in ("performance", "accessibility", "best-practices", "seo")]
print(f"{name:<18} " + " ".join(f"{round((s or 0) * 100):>5}" for s in scores)
      + f" {round(report['environment']['benchmarkIndex']):>6}")
for key, category in report["categories"].items():
    for ref in category["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            print(f"{'':<18}   {key}: {ref['id']} ({audit['title']})")
PY
done < <($BIN/python scripts/lighthouse_targets.py)
