# The one task runner: README and CI call these targets as they are.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: install static run worker test test-fast lint format bench backup restore clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Re-installs whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

static/vendor/.copied: node_modules/.package-lock.json $(VENV)/.installed scripts/vendor_static.py
	$(BIN)/python scripts/vendor_static.py
	touch $@

install: $(VENV)/.installed static/vendor/.copied

static: static/vendor/.copied

# Set up and serve the demo on http://127.0.0.1:$(PORT) (SQLite and in-process tasks unless
# DATABASE_URL and CELERY_BROKER_URL say otherwise).
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_reference_data
	$(BIN)/python manage.py seed_demo --once
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

worker: install
	$(BIN)/celery -A ics_planner worker --loglevel=info --concurrency=2

# Installs what the tests need (a browser from Debian's packages where it can) and runs the suite.
test: install
	@scripts/ensure_chromium.sh
	$(BIN)/pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python benchmarks/engine.py
	$(BIN)/python benchmarks/run_api.py
	$(BIN)/python benchmarks/ingestion.py
	$(BIN)/python benchmarks/load.py

# pg_dump of the database named by DATABASE_URL, uploaded files included, into backups/.
backup:
	scripts/backup.sh

# Into the (empty) database named by DATABASE_URL: make restore FILE=backups/<timestamp>.dump
restore:
	FORCE=$(FORCE) scripts/restore.sh "$(FILE)"

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles .pytest_cache
