# Heard: `make run` serves the portal with demo data and sends its messages; `make test` runs
# every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: help run test lint format assets bench bench-worker bench-pages bench-staff bench-report bench-load clean messages scan

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# Compiled translations are built, not committed: the .po files are the source.
CATALOGUES := $(wildcard portal/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)

portal/translations/%/LC_MESSAGES/messages.mo: portal/translations/%/LC_MESSAGES/messages.po | $(VENV)/.runtime
	$(BIN)/pybabel compile -d portal/translations -l $* 2>&1 | grep -v "^compiling" || true
	test -f $@

messages: $(VENV)/.runtime ## Extract marked strings and update every language's .po file
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --add-location=file --sort-by-file \
	  --project=Heard -o portal/translations/messages.pot .
	$(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations \
	  --no-fuzzy-matching --ignore-obsolete

# `make run PORT=5001` serves on another port; the printed links point at it.
PORT = 5000
PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)

# honcho runs Procfile.dev's processes, their output labelled, until Ctrl-C stops them all.
run: $(VENV)/.runtime $(COMPILED) ## Set up, migrate, load demo data, then serve on http://127.0.0.1:5000 and send messages (Ctrl-C stops both)
	$(BIN)/flask db upgrade
	$(BIN)/flask demo --load-only
	PATH="$(abspath $(BIN)):$$PATH" PUBLIC_BASE_URL="$(PUBLIC_BASE_URL)" PYTHONUNBUFFERED=1 \
	  $(BIN)/honcho start --procfile Procfile.dev --port $(PORT)

# DATABASE_URL is unset so the tests can never empty a real database: they use
# TEST_DATABASE_URL (PostgreSQL) or a SQLite file under instance/.
test: $(VENV)/.dev $(COMPILED) ## Set up and run all the tests (SQLite; PostgreSQL when TEST_DATABASE_URL is set)
	env -u DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev ## Check formatting, lint, types and the import contracts (pyproject.toml)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-logo
	$(BIN)/bandit --quiet --recursive portal config.py wsgi.py --severity-level medium --confidence-level medium
	$(BIN)/mypy
	$(BIN)/python scripts/check_module_sizes.py

# The web scanner has pinned dependencies of its own (an older Flask among them): its own venv.
SCAN_VENV := .venv-scan

$(SCAN_VENV)/.installed: requirements-scan.txt
	$(PYTHON) -m venv $(SCAN_VENV)
	$(SCAN_VENV)/bin/pip install --quiet --upgrade pip
	$(SCAN_VENV)/bin/pip install --quiet -r requirements-scan.txt
	touch $@

scan: $(VENV)/.dev $(COMPILED) $(SCAN_VENV)/.installed ## Scan the demo with wapiti, signed out and signed in (about 3 min); fails on a finding above low
	$(BIN)/python scripts/scan.py

format: $(VENV)/.dev ## Format the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

assets: $(VENV)/.runtime ## Rebuild static/govuk from npm govuk-frontend (needs Node), then the fingerprinted static/dist (the output is committed)
	bash scripts/build-assets.sh

clean: ## Remove the virtualenv, the local databases and caches
	rm -rf $(VENV) $(SCAN_VENV) instance/*.sqlite3 .pytest_cache .ruff_cache .mypy_cache

bench: $(VENV)/.dev ## Run every benchmark in turn and print one summary table (about 22 min; BENCH_ARGS=--quick: 9)
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

bench-worker: $(VENV)/.dev ## Benchmark the outbox worker: 10,000 texts to a fake Twilio answering in 50 ms
	$(BIN)/python bench/worker.py $(BENCH_ARGS)

bench-pages: $(VENV)/.dev ## Benchmark family pages: gunicorn (2 workers) on PostgreSQL, 20 people at once (empties database bench_pages)
	$(BIN)/python bench/family_pages.py $(BENCH_ARGS)

bench-staff: $(VENV)/.dev ## Benchmark staff pages: 10 staff signed in with 2FA on 10,000 conferences, p95 in the app (empties database bench_staff)
	$(BIN)/python bench/staff_pages.py $(BENCH_ARGS)

bench-report: $(VENV)/.dev ## Benchmark the participation report on 1,000,000 rows in PostgreSQL (empties database bench_report)
	$(BIN)/python bench/report.py $(BENCH_ARGS)

bench-load: $(VENV)/.dev ## Load test (Locust): 50 families, coordinators and chairs for 2 min on gunicorn + PostgreSQL (empties database bench_load)
	$(BIN)/python bench/load.py $(BENCH_ARGS)
