# Care Career Academy Portal. `make run` serves the demo; `make test` runs every check.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.DEFAULT_GOAL := help
.PHONY: help install assets run test test-browser bench soak audit lint typecheck imports templates-lint migrations-check pytest totp clean

help:
	@echo "make run    install everything, build assets, migrate, seed demo data, serve on http://127.0.0.1:8000"
	@echo "make test   install everything and run ruff, mypy, import-linter, djLint, the migration check and pytest"
	@echo "make test-browser   accessibility checks (axe-core) in Chromium; installs Debian's chromium if missing"
	@echo "make totp   print the demo staff/manager/provider two-factor code"
	@echo "make audit  pip-audit the installed packages; fails, saying so, when there is no vulnerability data"
	@echo "make bench  time the staff candidate list against the Django admin in a scratch database (SQLite under"
	@echo "            var/bench/, 100,000 candidates; with BENCH_DATABASE_URL, PostgreSQL at 10,000, 100,000 and 1,000,000"
	@echo "            side by side, built once and kept: BENCH_SIZES=... to choose, BENCH_ARGS=--rebuild to build again),"
	@echo "            the DBS reminder sweep on 10,000 and 100,000 checks, the public job board on 10,000 vacancies, a"
	@echo "            quarter's report figures against hand-written SQL and the whole impact report PDF with its worker's"
	@echo "            peak memory; updates docs/benchmarks.md"
	@echo "make soak   gunicorn on PostgreSQL and Redis (REDIS_URL; SOAK_DATABASE_URL or DATABASE_URL's server) with 50 people"
	@echo "            for 60 s on loopback (SOAK_ARGS=\"--users 10 --seconds 10 --no-docs\" for the short form); updates docs/benchmarks.md"

$(VENV)/.installed: pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required (set PYTHON=/path/to/python3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	mkdir -p var
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static/build/.built: node_modules/.installed $(shell find static/src static/js -type f 2>/dev/null) scripts/build-static.mjs
	npm run build
	touch $@

install: $(VENV)/.installed node_modules/.installed

assets: static/build/.built

run: install assets
	DJANGO_DEBUG=1 $(MANAGE) migrate --no-input
	DJANGO_DEBUG=1 $(MANAGE) seed_demo
	DJANGO_DEBUG=1 $(MANAGE) demo_logins
	DJANGO_DEBUG=1 ./scripts/run-dev.sh

totp: $(VENV)/.installed
	@DJANGO_DEBUG=1 $(BIN)/python -c "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'academy.settings.base'); django.setup(); from academy.demo import demo_totp_code; print(demo_totp_code())"

# Not part of `make test`: it needs PyPI's vulnerability data, which some networks cannot reach.
audit: $(VENV)/.installed
	$(BIN)/python scripts/audit_dependencies.py

lint: $(VENV)/.installed
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy

# Apps depend one way (layers contract in pyproject.toml): a module importing an app above its own fails.
imports: $(VENV)/.installed
	$(BIN)/lint-imports

templates-lint: $(VENV)/.installed
	$(BIN)/djlint templates --lint

migrations-check: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=academy.settings.test $(MANAGE) makemigrations --check --dry-run

pytest: $(VENV)/.installed
	$(BIN)/pytest -m "not services and not browser"

# Accessibility (axe-core) in Debian's Chromium; needs the built front end.
test-browser: install assets
	./scripts/ensure-chromium.sh
	$(BIN)/pytest -m browser

test: install lint typecheck imports templates-lint migrations-check pytest

# Not part of `make test`: seeds 100,000 candidates in a scratch database (minutes) and times pages;
# then 100,000 DBS checks in another scratch database and times the daily reminder sweep; then the
# provider's applicant list with 5,000 applications; then the quarterly impact report PDF on 100,000 candidates.
bench: $(VENV)/.installed
	$(BIN)/python -m benchmarks.candidate_list $(BENCH_ARGS)
	$(BIN)/python -m benchmarks.dbs_sweep $(DBS_BENCH_ARGS)
	$(BIN)/python -m benchmarks.applicant_list $(APPLICANT_BENCH_ARGS)
	$(BIN)/python -m benchmarks.job_board $(JOBS_BENCH_ARGS)
	$(BIN)/python -m benchmarks.report_figures $(FIGURES_BENCH_ARGS)
	$(BIN)/python -m benchmarks.impact_report $(REPORT_BENCH_ARGS)

# Not part of `make test`: needs PostgreSQL and Redis. A scratch database (academy_bench_soak, or
# SOAK_DATABASE_NAME) is seeded, served by gunicorn and loaded for a minute; exits 1 on any error.
soak: $(VENV)/.installed
	$(BIN)/python -m benchmarks.soak $(SOAK_ARGS)

clean:
	rm -rf $(VENV) node_modules static/build var
