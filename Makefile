# The one task runner: README and CI call these targets as they are.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
# Made once by `make run`, kept out of git: the secret key it serves with.
SECRET_KEY_FILE := .secret-key
# How `make run` serves: as in production (DEBUG off, collected static files, a real key) but
# over plain http on 127.0.0.1, so that sign-in cookies are not marked https-only. A
# DJANGO_SECRET_KEY already in the environment is used instead of the file's.
PRODUCTION := DJANGO_DEBUG=false DJANGO_HTTPS=false \
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat $(SECRET_KEY_FILE))}"

.PHONY: install static run dev worker beat test test-fast lint format bench backup restore clean

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

$(SECRET_KEY_FILE): | $(BIN)/python
	@umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(64))" > $@

# The database, the NHS reference data and the demo (seeded once), in the environment $(1).
define set_up
	@$(1) $(MANAGE) migrate --noinput
	@$(1) $(MANAGE) load_reference_data
	@$(1) $(MANAGE) seed_demo --once
endef

# Set up and serve the demo on http://127.0.0.1:$(PORT) as production would (SQLite and
# in-process tasks unless DATABASE_URL and CELERY_BROKER_URL say otherwise).
run: install $(SECRET_KEY_FILE)
	$(call set_up,$(PRODUCTION))
	@$(PRODUCTION) $(MANAGE) collectstatic --noinput --verbosity 0
	@echo
	@echo "The planner is at http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)."
	@echo "Sign in at http://127.0.0.1:$(PORT)/accounts/login/ as a demo user (national, icb-qkk,"
	@echo "analyst-qkk, trust-rj1, ...) with DEMO_PASSWORD if you set it, else the password"
	@echo "printed when the demo was first seeded (\"Password for every demo user\")."
	@$(PRODUCTION) exec $(BIN)/gunicorn ics_planner.wsgi:application \
		--bind 127.0.0.1:$(PORT) --workers 2 --threads 4 --log-level warning

# The developer's server: DEBUG on (error pages with tracebacks), reloads on every change.
dev: install
	$(call set_up,DJANGO_DEBUG=true)
	DJANGO_DEBUG=true $(MANAGE) runserver 127.0.0.1:$(PORT)

# Workers and beat run as `make run` serves, DEBUG off: with it on, a worker would keep every
# query it makes, a national run's stored sums among them.
worker: install $(SECRET_KEY_FILE)
	@$(PRODUCTION) exec $(BIN)/celery -A ics_planner worker --loglevel=info --concurrency=2

# Sends the periodic tasks (CELERY_BEAT_SCHEDULE) to the workers: run exactly one.
beat: install $(SECRET_KEY_FILE)
	@$(PRODUCTION) exec $(BIN)/celery -A ics_planner beat --loglevel=info

# Installs what the tests need (a browser from Debian's packages where it can) and runs the suite.
test: install
	@scripts/ensure_chromium.sh
	$(BIN)/pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python benchmarks/engine.py
	$(BIN)/python benchmarks/run_api.py
	$(BIN)/python benchmarks/cheapest_plan.py
	$(BIN)/python benchmarks/board_pack.py
	$(BIN)/python benchmarks/backtest.py
	$(BIN)/python benchmarks/one_workforce.py
	$(BIN)/python benchmarks/national.py
	$(BIN)/python benchmarks/ingestion.py
	$(BIN)/python benchmarks/load.py

# pg_dump of the database named by DATABASE_URL, uploaded files included, into backups/.
backup:
	scripts/backup.sh

# Into the (empty) database named by DATABASE_URL: make restore FILE=backups/<timestamp>.dump
restore:
	FORCE=$(FORCE) scripts/restore.sh "$(FILE)"

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles .pytest_cache celerybeat-schedule*
