#!/usr/bin/env bash
# Updates the French catalogues from the English source strings: locale/fr/LC_MESSAGES/django.po (Python and
# templates) and djangojs.po (gettext() in the JavaScript, served by the /jsi18n/ catalogue). English is the source
# language; every new msgid then needs its French msgstr (tests/ops/test_translations.py fails otherwise).
# Not extracted: the reading engine's interpretation texts and the legal texts (French content, not interface).
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
PYTHON="${PYTHON:-.venv/bin/python}"
IGNORED=(--ignore=.venv --ignore=engine/texts --ignore=storefront/legal_texts --ignore=tests --ignore=bench
  --ignore=staticfiles --ignore=node_modules --ignore=test-artifacts --ignore=var --ignore=media)
LUMIRA_ENV="${LUMIRA_ENV:-test}" "$PYTHON" manage.py makemessages -l fr --no-obsolete --no-location "${IGNORED[@]}" -v 0
# n8n/code runs inside n8n, not in a browser page: nothing there to translate.
LUMIRA_ENV="${LUMIRA_ENV:-test}" "$PYTHON" manage.py makemessages -d djangojs -l fr --no-obsolete --no-location \
  "${IGNORED[@]}" --ignore=n8n -v 0
