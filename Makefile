# Lumira — the commands everyone uses. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint check migrations-check venv bench clean migrate serve worker beat

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

## make demo: install, migrate, load demo data, start what the journey needs, print URLs and logins.
demo: $(STAMP)
	bash scripts/ensure_media_tools.sh
	PYTHON=$(BIN)/python bash scripts/compile_messages.sh
	bash scripts/demo.sh

## make test: install, make sure PostgreSQL and Redis are up, then lint, checks and the whole suite, in TEST_WORKERS
## processes (pytest-xdist; a test file stays in one process, so its module fixtures — servers, browser — are built once).
TEST_WORKERS ?= auto
test: $(STAMP)
	bash scripts/ensure_services.sh
	bash scripts/ensure_chromium.sh
	bash scripts/ensure_media_tools.sh
	PYTHON=$(BIN)/python bash scripts/compile_messages.sh
	$(MAKE) --no-print-directory lint check
	@# The fresh migrate (a minute of CPU, nearly all dj-stripe's) runs beside the suite rather than before it.
	$(MAKE) --no-print-directory -j2 migrations-check suite

## make suite: only the pytest suite (PYTEST_ARGS="tests/orders -x" to narrow it).
.PHONY: suite
suite: $(STAMP)
	LUMIRA_ENV=test $(BIN)/pytest --create-db -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

## The processes of the Docker image, run by the same script (scripts/entrypoint.sh) with the virtualenv's tools.
ENTRYPOINT := PYTHON=$(BIN)/python CELERY=$(BIN)/celery GUNICORN=$(BIN)/gunicorn bash scripts/entrypoint.sh
migrate: $(STAMP)
	$(ENTRYPOINT) migrate
serve: $(STAMP)
	$(ENTRYPOINT) web
worker: $(STAMP)
	$(ENTRYPOINT) worker
beat: $(STAMP)
	$(ENTRYPOINT) beat

lint: $(STAMP)
	$(BIN)/ruff check .

check: $(STAMP)
	LUMIRA_ENV=test $(BIN)/python manage.py check --fail-level WARNING

## Real migrations on a scratch PostgreSQL database, and no model change without its migration.
migrations-check: $(STAMP)
	LUMIRA_ENV=test $(BIN)/python manage.py makemigrations --check --dry-run
	psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS lumira_migrations_check" -c "CREATE DATABASE lumira_migrations_check"
	LUMIRA_ENV=test DATABASE_URL=postgres://postgres@127.0.0.1:5432/lumira_migrations_check $(BIN)/python manage.py migrate -v 0
	psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE lumira_migrations_check"
	@echo "migrations: applied cleanly on PostgreSQL"

clean:
	rm -rf $(VENV) staticfiles var

## make bench: seed 100k orders (bench/seed.py; BENCH_ARGS="--orders 1000000" for another size), run the app under
## gunicorn (DEBUG off), load it with wrk; prints a table.
bench: $(STAMP)
	bash scripts/ensure_services.sh
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	bash scripts/ensure_media_tools.sh
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## make lighthouse: Lighthouse (npm, mobile emulation, Debian Chromium) on demo data; prints the four scores per page.
.PHONY: lighthouse
lighthouse: $(STAMP)
	bash scripts/lighthouse.sh

## make journey: the whole-journey browser test (with its axe checks), the OpenAPI checks and the API fuzzing.
.PHONY: journey
journey: $(STAMP)
	bash scripts/ensure_services.sh
	bash scripts/ensure_chromium.sh
	bash scripts/ensure_media_tools.sh
	LUMIRA_ENV=test $(BIN)/pytest tests/journey $(PYTEST_ARGS)

## make n8n-check (not part of make test): the shipped n8n workflow in a real n8n 2.41.1 (installed on first use),
## against Lumira under gunicorn with a Celery worker: generation, rejection, revision, approval, and failures.
.PHONY: n8n-check
n8n-check: $(STAMP)
	bash scripts/n8n_check.sh
