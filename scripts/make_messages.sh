#!/usr/bin/env bash
# Updates the French catalogue (locale/fr/LC_MESSAGES/django.po) from the English source strings. English is the
# source language; every new msgid then needs its French msgstr (tests/ops/test_translations.py fails otherwise).
# Not extracted: the reading engine's interpretation texts and the legal texts (French content, not interface).
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
PYTHON="${PYTHON:-.venv/bin/python}"
LUMIRA_ENV="${LUMIRA_ENV:-test}" "$PYTHON" manage.py makemessages -l fr --no-obsolete --no-location \
  --ignore=.venv --ignore=engine/texts --ignore=storefront/legal_texts --ignore=tests --ignore=bench \
  --ignore=staticfiles --ignore=node_modules --ignore=test-artifacts --ignore=var --ignore=media -v 0
