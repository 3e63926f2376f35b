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
TEST_ENV := DEBUG=0 SECRET_KEY=test-only-secret-key ALLOWED_HOSTS=testserver,localhost,127.0.0.1

.PHONY: run setup test lint check-deploy check-original check-bank browser collectstatic clean help

help:
	@echo "make run    set up (venv, npm, migrations, content, demo accounts) and serve on http://$(HOST):$(PORT)"
	@echo "make test   run the whole test suite (SQLite; set DATABASE_URL for PostgreSQL)"
	@echo "make lint   ruff + Django checks + missing-migration check + hadolint"
	@echo "make check-deploy   Django's deployment checks with production settings (HTTPS, and LAN mode)"

$(BIN)/.installed: requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Front-end libraries are copied from node_modules into static/vendor (git-ignored) by `npm run vendor`
# (package.json), which the Docker image's asset stage runs too.
static/vendor/.built: node_modules/.installed package.json
	npm run --silent vendor
	touch $@

setup: $(BIN)/.installed static/vendor/.built
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

# Lints the bundled question bank in a throw-away SQLite database (non-zero exit on any error).
check-bank: $(BIN)/.installed
	@db=$$(mktemp -d)/bank.sqlite3; export $(TEST_ENV) DATABASE_URL=sqlite:///$$db; \
	$(MANAGE) migrate --noinput -v 0 && $(MANAGE) load_content -v 0 >/dev/null && $(MANAGE) load_bank >/dev/null && \
	$(MANAGE) check_bank | tail -n 4; status=$$?; rm -f $$db*; exit $$status

test: $(BIN)/.installed static/vendor/.built browser collectstatic check-original check-bank
	$(TEST_ENV) $(BIN)/python -m pytest -n 2 --dist loadscope $(ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(TEST_ENV) $(MANAGE) check
	$(TEST_ENV) $(MANAGE) makemigrations --check --dry-run
	$(BIN)/hadolint --failure-threshold warning Dockerfile

# `check --deploy` with the production environment documented in docs/deploy.md (TLS at a reverse proxy), then
# in the explicit LAN-without-TLS mode. Any warning fails. The secret is random and used for nothing else.
PROD_ENV := DEBUG=0 ALLOWED_HOSTS=exams.school.example CSRF_TRUSTED_ORIGINS=https://exams.school.example \
	SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO
check-deploy: $(BIN)/.installed
	@key=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))'); \
	env -u SECURE_SSL_REDIRECT -u INSECURE_LAN_MODE $(PROD_ENV) SECRET_KEY=$$key \
		$(MANAGE) check --deploy --fail-level WARNING && \
	env -u SECURE_SSL_REDIRECT $(PROD_ENV) INSECURE_LAN_MODE=1 SECRET_KEY=$$key \
		$(MANAGE) check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles
