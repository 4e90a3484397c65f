# Sponsor Management System. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PYTEST := $(PY) -m pytest -n 2 --dist loadgroup
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
CHROMIUM ?= /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help
help: ## List every target with what it does
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

var/static-build/.built: node_modules/.installed $(wildcard assets/scss/*.scss)
	mkdir -p var/static-build/css var/static-build/js var/static-build/govuk
	npx sass --load-path=node_modules --style=compressed --no-source-map \
		assets/scss/application.scss var/static-build/css/application.css
	cp -r node_modules/govuk-frontend/dist/govuk/assets var/static-build/govuk/
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js var/static-build/js/
	touch $@

.PHONY: setup
setup: $(VENV)/.installed var/static-build/.built ## Create the virtual environment, install packages, build the GOV.UK styles
	mkdir -p var/mail var/uploads

.PHONY: chromium
chromium: ## Install Debian's Chromium for the browser tests, when missing
	@test -x $(CHROMIUM) || { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; }

.PHONY: migrate
migrate: setup ## Apply database migrations (embedded SQLite unless DATABASE_URL is set)
	$(MANAGE) migrate --no-input
	$(MANAGE) createcachetable
	$(MANAGE) sync_schedules

.PHONY: demo
demo: migrate ## Load the demo data when the database is empty, and print the demo sign-ins
	$(MANAGE) seed_demo

.PHONY: run
run: demo ## Set everything up and serve on http://127.0.0.1:8000 with the background worker
	$(MANAGE) collectstatic --no-input --verbosity 0
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl+C stops the server and the worker)"
	@trap 'kill 0' EXIT INT TERM; \
		$(MANAGE) qcluster & \
		$(MANAGE) runserver --noreload $(HOST):$(PORT)

.PHONY: lint
lint: setup ## ruff, ruff format --check, mypy, migrations and deployment checks
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=check-deploy-only-$$RANDOM$$RANDOM$$RANDOM$$RANDOM-not-a-real-secret \
		ALLOWED_HOSTS=sponsor.example.org $(MANAGE) check --deploy --fail-level WARNING

.PHONY: test
test: setup chromium lint ## Run every check: linters, then the suite on SQLite, then on PostgreSQL when one answers
	@if $(PY) -c "import psycopg,sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$(TEST_DATABASE_URL)" 2>/dev/null; then \
		echo "SQLite: the suite but for the one_pass tests, which run on PostgreSQL (docs/adr/0015)"; \
		$(PYTEST) -m "not one_pass" && \
		echo "PostgreSQL answers at $(TEST_DATABASE_URL): the whole suite on it" && \
		DATABASE_URL="$(TEST_DATABASE_URL)" $(PYTEST); \
	else \
		echo "No PostgreSQL at $(TEST_DATABASE_URL): the whole suite on SQLite"; \
		$(PYTEST); \
	fi

.PHONY: screenshots
screenshots: setup chromium ## Refresh docs/screenshots/ from the browser tests
	SCREENSHOTS_DIR=docs/screenshots $(PY) -m pytest -p no:cacheprovider sponsorship/core/tests/browser/test_screenshots.py sponsorship/core/tests/browser/test_bulk_journey.py

.PHONY: clean
clean: ## Remove the environment, built assets and local data
	rm -rf $(VENV) node_modules var staticfiles
