# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test test-tools lint format serve worker install check bench

$(VENV)/installed.stamp: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/installed.stamp

# SITE_URL carries PORT to every absolute link made outside a request
# (emails from the worker, CSV files, the demo's own).
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py load_demo
	@echo ""
	@echo "  Pathway to Scale Interactive: $(SITE_URL)/"
	@echo "  Demo logins: core, lead, member, funder (password p2s-demo)"
	@echo ""
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The test tools from npm (axe-core, the Nu HTML Checker, the naughty strings),
# fetched when npm is here; without npm, the tests that need them are skipped
# and the summary says why (-rs).
node_modules/installed.stamp: package.json package-lock.json
	@if command -v npm >/dev/null; then \
	    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else \
	    echo "npm not found: the browser, accessibility and HTML tests will be skipped"; \
	fi

test-tools: node_modules/installed.stamp

# The whole suite on SQLite; with DATABASE_URL set, on that database instead.
test: install test-tools
	$(PY) -m pytest -rs $(PYTEST_ARGS)

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The production settings on this machine: gunicorn (2 workers with REDIS_URL,
# else 1: p2s/gunicorn.py) and WhiteNoise
# over the collected, compressed static files. SECRET_KEY, ALLOWED_HOSTS and
# DATABASE_URL come from the environment; for a local try they default to a
# key kept in .secret_key, 127.0.0.1/localhost and the SQLite file, over plain
# http (SECURE_SSL_REDIRECT=0). docs/deploy.md.
serve: install
	@test -s .secret_key || $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > .secret_key
	SECRET_KEY="$${SECRET_KEY:-$$(cat .secret_key)}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-0}" \
	DJANGO_SETTINGS_MODULE=p2s.settings.production \
	sh -c '$(PY) manage.py migrate --noinput && \
	       $(PY) manage.py createcachetable && \
	       $(PY) manage.py collectstatic --noinput --verbosity 0 && \
	       exec $(VENV)/bin/gunicorn p2s.wsgi --config p2s/gunicorn.py'

# The mail worker beside `make serve` (in a second terminal, after serve has
# migrated): sends the emails the app queues in the database, with the same
# settings and environment. Without it they wait in the queue. docs/deploy.md.
worker: install
	@test -s .secret_key || $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > .secret_key
	SECRET_KEY="$${SECRET_KEY:-$$(cat .secret_key)}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	DJANGO_SETTINGS_MODULE=p2s.settings.production \
	$(PY) manage.py db_worker

# Server time, queries, throughput and memory at 10,000 and 100,000 stories, on
# PostgreSQL (BENCH_DATABASE_URL; databases p2s_bench_*, built once and reused)
# with gunicorn and wrk; writes bench/results/<date>.md. docs/performance.md.
BENCH_ARGS ?=
bench: install
	$(PY) bench/run.py $(BENCH_ARGS)
