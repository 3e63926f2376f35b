# certprep: `make run` sets everything up and serves on http://127.0.0.1:8000; `make test` runs the suite.
# Both are idempotent: each step is skipped when its inputs have not changed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
SHARED ?= ../shared
HOST ?= 127.0.0.1
PORT ?= 8000

DEV_ENV := DEBUG=1
TEST_ENV := DEBUG=0 SECRET_KEY=test-only-secret-key ALLOWED_HOSTS=testserver,localhost,127.0.0.1 ENV_FILE=

.PHONY: run setup lock docker-smoke test lint check-deploy check-original check-bank browser collectstatic backup restore bench bench-class bench-full clean help

help:
	@echo "make run    set up (venv, npm, migrations, content, demo accounts) and serve on http://$(HOST):$(PORT)"
	@echo "make test   run the whole test suite (SQLite; set DATABASE_URL for PostgreSQL)"
	@echo "make lint   ruff + mypy + Django checks + missing-migration check + hadolint"
	@echo "make check-deploy   Django's deployment checks with production settings (HTTPS, and LAN mode)"
	@echo "make backup   back up the database to DATA_DIR/backups/ (safe while the app runs)"
	@echo "make restore FILE=path [YES=1]   replace the database with a backup (stop the app first)"
	@echo "make docker-smoke   the Docker image's build and start steps without Docker, on PostgreSQL"
	@echo "make bench   classroom benchmark, short: 40 students on SQLite under gunicorn (docs/benchmarks.md)"
	@echo "make bench-class  a class of 200 starting and submitting together, on SQLite then PostgreSQL"
	@echo "make bench-full   the whole matrix: 40/100/200 students x SQLite/PostgreSQL x think time/stress"

$(BIN)/.installed: requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $@

# Both lock files from pyproject.toml: requirements.lock (with the dev extra) for development and CI, and the
# image's runtime-only requirements-prod.lock, constrained by the first so a package is pinned alike in both.
lock:
	$(BIN)/uv pip compile pyproject.toml --extra dev -o requirements.lock --python-version 3.11 -q
	$(BIN)/uv pip compile pyproject.toml -c requirements.lock -o requirements-prod.lock --python-version 3.11 -q

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Front-end libraries are copied from node_modules into static/vendor (git-ignored) by `npm run vendor`
# (package.json), which the Docker image's asset stage runs too.
static/vendor/.built: node_modules/.installed package.json
	npm run --silent vendor
	touch $@

# A git-ignored .env for local development, written once (never over an existing one): with it every
# `.venv/bin/python manage.py ...` command works from a plain shell. Production and CI use real variables.
.env:
	@key=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))'); \
	printf '%s\n' "# Written by make run for local development only (git-ignored). Never use it in production." \
		"DEBUG=1" "SECRET_KEY=$$key" > $@; \
	echo "Wrote .env for local development (DEBUG=1, a new SECRET_KEY)."

setup: $(BIN)/.installed static/vendor/.built .env
	$(DEV_ENV) $(MANAGE) migrate --noinput
	$(DEV_ENV) $(MANAGE) load_content
	$(DEV_ENV) $(MANAGE) load_bank
	$(DEV_ENV) $(MANAGE) create_demo_accounts

run: setup
	$(DEV_ENV) $(MANAGE) runserver $(HOST):$(PORT)

# Chromium for the browser tests comes from Debian (never a Playwright browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

collectstatic: $(BIN)/.installed static/vendor/.built
	$(TEST_ENV) $(MANAGE) collectstatic --noinput --verbosity 0

check-original:
	@if [ -f $(SHARED)/tools/check_original.py ]; then $(BIN)/python $(SHARED)/tools/check_original.py .; \
	else echo "$(SHARED)/tools/check_original.py not found: originality check skipped"; fi

# Lints the bundled question bank in a throw-away SQLite database (non-zero exit on any error): the bank files
# one by one (length cues per file) after loading them, so section links resolve against the loaded notes.
# Prints the errors and the closing lines (three per exam); the exit status is check_bank's.
check-bank: $(BIN)/.installed
	@dir=$$(mktemp -d); db=$$dir/bank.sqlite3; export $(TEST_ENV) DATABASE_URL=sqlite:///$$db; \
	$(MANAGE) migrate --noinput -v 0 && $(MANAGE) load_content -v 0 >/dev/null && $(MANAGE) load_bank >/dev/null && \
	$(MANAGE) check_bank --file fixtures/questions/*/*.yaml >$$dir/out 2>&1; status=$$?; \
	grep '^error' $$dir/out; sed -n '/ error(s), /,$$p' $$dir/out; rm -rf $$dir; exit $$status

test: $(BIN)/.installed static/vendor/.built browser collectstatic check-original check-bank
	$(TEST_ENV) $(BIN)/python -m pytest -n 2 --dist loadscope $(ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(TEST_ENV) $(BIN)/mypy
	$(TEST_ENV) $(MANAGE) check
	$(TEST_ENV) $(MANAGE) makemigrations --check --dry-run
	$(BIN)/hadolint --failure-threshold warning Dockerfile

# `check --deploy` with the production environment documented in docs/deploy.md (TLS at a reverse proxy), then
# in the explicit LAN-without-TLS mode. Any warning fails. The secret is random and used for nothing else.
PROD_ENV := DEBUG=0 ALLOWED_HOSTS=exams.school.example CSRF_TRUSTED_ORIGINS=https://exams.school.example \
	SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO
check-deploy: $(BIN)/.installed
	@key=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))'); \
	env -u SECURE_SSL_REDIRECT -u INSECURE_LAN_MODE $(PROD_ENV) SECRET_KEY=$$key \
		$(MANAGE) check --deploy --fail-level WARNING && \
	env -u SECURE_SSL_REDIRECT $(PROD_ENV) INSECURE_LAN_MODE=1 SECRET_KEY=$$key \
		$(MANAGE) check --deploy --fail-level WARNING

# The image's build and start steps without Docker, on a throw-away PostgreSQL database (config/docker_smoke.py;
# tests/config/test_docker_smoke.py runs the same in the suite). SMOKE_POSTGRES_URL names another server.
docker-smoke: $(BIN)/.installed static/vendor/.built
	$(BIN)/python config/docker_smoke.py

# Backups use the environment the app runs with (DATABASE_URL, DATA_DIR): SQLite through its online backup
# API, PostgreSQL with pg_dump. `make restore` refuses a database that holds data unless YES=1 is given.
backup: $(BIN)/.installed
	$(MANAGE) backup $(if $(OUTPUT),--output $(OUTPUT))

restore: $(BIN)/.installed
	@test -n "$(FILE)" || (echo "usage: make restore FILE=data/backups/certprep-<timestamp>.sqlite3" >&2; exit 2)
	$(MANAGE) restore "$(FILE)" $(if $(filter 1,$(YES)),--yes)

# The classroom benchmark (bench/, docs/benchmarks.md): gunicorn with production settings on a fresh database,
# N students in sync, then the integrity check; results in bench/results/. CI does not run it. BENCH_ARGS adds
# options, e.g. BENCH_ARGS="--db postgres" or "--profile --py-spy /path/to/py-spy".
bench: collectstatic
	$(BIN)/python -m bench.run --db sqlite --students 40 --mode think $(BENCH_ARGS)

bench-class: collectstatic
	$(BIN)/python -m bench.run --db sqlite --students 200 --mode think $(BENCH_ARGS)
	$(BIN)/python -m bench.run --db postgres --students 200 --mode think $(BENCH_ARGS)

bench-full: collectstatic
	$(BIN)/python -m bench.run --matrix $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles
