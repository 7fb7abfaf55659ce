# The portal: `make run` sets everything up and serves the demo city; `make test` runs the checks.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run install db test lint format e2e messages bench clean production

help: ## Show this help
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

run: db ## Set up everything, load the demo city and serve it on http://127.0.0.1:8000
	$(PY) manage.py runserver $(HOST):$(PORT)

production: install ## Run web (gunicorn) + worker (db_worker) on the production settings at http://127.0.0.1:8000
	PORT=$(PORT) $(PY) deploy/run-production

install: $(VENV)/.installed node_modules/.installed ## Create the virtualenv and install Python and npm packages

$(VENV)/.installed: requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

db: install ## Migrate the database and load the demo city (idempotent)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_demo_offers

test: install ## Run ruff, the import contracts and the whole test suite in parallel (browser tests included)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest

lint: install ## Lint only
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/djhtml --check templates

format: install ## Format Python code and templates
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djhtml templates

e2e: install ## Run only the browser tests
	$(PY) -m pytest tests/e2e

messages: install ## Update the German translations (needs GNU gettext)
	$(PY) manage.py makemessages --locale de --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'test-artifacts/*'
	$(PY) manage.py compilemessages --locale de --ignore '.venv/*' --ignore 'node_modules/*'

bench: install ## Run the benchmarks in bench/
	$(PY) bench/generate_merchants.py

clean: ## Remove the virtualenv, npm packages and the local database
	rm -rf $(VENV) node_modules db.sqlite3
