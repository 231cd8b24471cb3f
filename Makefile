# Yishi — `make run` serves the demo, `make test` runs the whole suite.

PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

# Development profile unless the environment says otherwise.
export DJANGO_DEBUG ?= 1

.PHONY: run serve test install migrate messages check-deploy clean

$(PY):
	@py=""; for c in python3.13 python3.12 python3 python; do \
	  if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then py=$$c; break; fi; \
	done; \
	if [ -z "$$py" ]; then echo "Yishi needs Python 3.12 or newer (3.13 recommended); none was found on PATH." >&2; exit 1; fi; \
	echo "Creating $(VENV) with $$($$py --version)"; \
	$$py -m venv $(VENV)

$(STAMP): $(PY) requirements.txt
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $(DEV_STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --no-input

# Daphne, the task worker (mail, sweeps, poll closing) and the scheduler that enqueues the periodic tasks,
# in one command: when Daphne stops (Ctrl-C) the other two are stopped too.
run: migrate
	$(PY) manage.py seed_demo --if-empty
	@echo "Yishi on http://127.0.0.1:$(PORT)/ (HTTP and WebSockets, Daphne), with its task worker and scheduler. Ctrl-C stops them."
	@given="$${YISHI_BASE_URL:-}"; export YISHI_BASE_URL="$${given:-http://127.0.0.1:$(PORT)}"; \
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	$(PY) manage.py run_scheduler & scheduler=$$!; \
	export YISHI_BASE_URL="$$given"; \
	trap 'kill $$worker $$scheduler 2>/dev/null; wait' EXIT INT TERM; \
	$(BIN)/daphne --no-server-name --websocket_connect_timeout 30 -e tcp:port=$(PORT):interface=127.0.0.1:backlog=1024 config.asgi:application

# Production (README, "Production"): no demo and no debugging, whatever the environment says. The environment
# gives DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and the rest; migrate, collect the static files, then Daphne
# on $(HOST):$(PORT) behind the reverse proxy that terminates TLS, with one task worker and one scheduler.
HOST ?= 127.0.0.1
serve: install
	@test -n "$$DJANGO_SECRET_KEY" -a -n "$$DJANGO_ALLOWED_HOSTS" || { \
	  echo "make serve needs DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS in the environment (README: Production)." >&2; exit 1; }
	DJANGO_DEBUG=0 $(PY) manage.py migrate --no-input
	DJANGO_DEBUG=0 YISHI_STATIC_COLLECTED=1 $(PY) manage.py collectstatic --no-input --verbosity 0
	@echo "Yishi (production) on http://$(HOST):$(PORT)/ for the reverse proxy, with its task worker and scheduler."
	@export DJANGO_DEBUG=0 YISHI_STATIC_COLLECTED=1; \
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	$(PY) manage.py run_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null; wait' EXIT INT TERM; \
	$(BIN)/daphne --no-server-name --websocket_connect_timeout 30 -e tcp:port=$(PORT):interface=$(HOST):backlog=1024 config.asgi:application

# The whole suite on SQLite; then again on PostgreSQL when YISHI_TEST_POSTGRES_URL is set (pytest-django
# creates and drops test_<name> there); then, when YISHI_TEST_REDIS_URL is set, the multi-process tests
# (tests/scaleout/, marker `scaleout`, deselected in the other runs) on PostgreSQL if set, else SQLite.
SCALEOUT_DB = $(if $(YISHI_TEST_POSTGRES_URL),PostgreSQL,SQLite)
NOT_RUN = $(strip $(if $(YISHI_TEST_POSTGRES_URL),,the suite on PostgreSQL (set YISHI_TEST_POSTGRES_URL=postgres://user:pw@127.0.0.1:5432/db, a role that may CREATE DATABASE);) \
  $(if $(YISHI_TEST_REDIS_URL),,the multi-process tests (set YISHI_TEST_REDIS_URL=redis://127.0.0.1:6379/0, with redis-server on PATH);))

# One run of the suite on the database DATABASE_URL names: the tests in parallel, one worker per core
# (pytest-xdist; a file stays on one worker), then those marked `serial` on their own (timed against
# rate limits and lock timeouts, or with ids a parallel run would merge), then the browser journeys in
# parallel, each worker with its own Daphne and Chromium. `pytest` alone runs everything serially.
TEST_WORKERS ?= auto
SUITE = $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --ignore=tests/browser -m "not scaleout and not serial" \
  && $(BIN)/pytest --ignore=tests/browser -m "serial and not scaleout" \
  && $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile tests/browser

test: $(DEV_STAMP)
	$(PY) manage.py makemigrations --check --dry-run >/dev/null || { echo "Models changed without a migration: run manage.py makemigrations." >&2; exit 1; }
	$(BIN)/lint-imports --no-cache >/dev/null || { $(BIN)/lint-imports --no-cache; echo "An import runs against the apps' arrows (pyproject.toml, docs/architecture.md)." >&2; exit 1; }
	@echo "== make test: the whole suite on SQLite"
	$(SUITE)
ifdef YISHI_TEST_POSTGRES_URL
	@echo "== make test: the whole suite on PostgreSQL (YISHI_TEST_POSTGRES_URL)"
	export DATABASE_URL="$$YISHI_TEST_POSTGRES_URL" && $(SUITE)
endif
ifdef YISHI_TEST_REDIS_URL
	@echo "== make test: two Daphne processes on Redis (YISHI_TEST_REDIS_URL) and $(SCALEOUT_DB)"
	DATABASE_URL="$$YISHI_TEST_POSTGRES_URL" $(BIN)/pytest -m scaleout tests/scaleout
endif
	@$(if $(NOT_RUN),echo "make test did NOT run: $(NOT_RUN) CI (.ci/run) runs everything.",echo "make test ran everything: SQLite, PostgreSQL, and two Daphne processes on Redis.")

# Recompile the translations after editing locale/*/LC_MESSAGES/django.po (needs GNU gettext).
# Tibetan (bo): makemessages refreshes locale/bo/ like zh_Hans; locale-extra/bo/ (Django's and allauth's
# strings, which they ship no Tibetan for) is edited by hand and only compiled. tests/i18n checks that every
# string of the resident pages has its Tibetan.
messages: $(DEV_STAMP)
	$(PY) manage.py makemessages --locale zh_Hans --locale bo --no-obsolete --ignore '$(VENV)/*' --ignore 'tests/*'
	$(PY) manage.py compilemessages --locale zh_Hans --locale bo --ignore '$(VENV)/*'

check-deploy: install
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  DJANGO_ALLOWED_HOSTS=yishi.example.org EMAIL_HOST=smtp.example.org $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) .pytest_cache

# Benchmarks: the live room, pages and votes against bare baselines, ~10 minutes (bench/README.md).
BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): $(STAMP) bench/requirements.txt
	$(PY) -m pip install --quiet -r bench/requirements.txt
	@touch $(BENCH_STAMP)

.PHONY: bench
bench: $(BENCH_STAMP)
	$(PY) -m bench.run_bench
