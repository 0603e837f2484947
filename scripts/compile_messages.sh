#!/usr/bin/env bash
# Compiles the translation catalogues (locale/*/LC_MESSAGES/django.po → .mo). The .mo files are build output,
# never committed (.gitignore): the Makefile (make test / demo) and the Dockerfile both run this script.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
command -v msgfmt >/dev/null || { echo "compile_messages: msgfmt missing (apt-get install gettext)" >&2; exit 1; }
LUMIRA_ENV="${LUMIRA_ENV:-test}" "$PYTHON" manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
