# Yishi — `make run` serves the demo, `make test` runs the whole suite.

PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

# Development profile unless the environment says otherwise.
export DJANGO_DEBUG ?= 1

.PHONY: run test install migrate messages check-deploy clean

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

run: migrate
	$(PY) manage.py seed_demo --if-empty
	@echo "Yishi on http://127.0.0.1:$(PORT)/ (HTTP and WebSockets, Daphne). Ctrl-C stops it."
	$(BIN)/daphne -b 127.0.0.1 -p $(PORT) config.asgi:application

test: $(DEV_STAMP)
	$(PY) manage.py makemigrations --check --dry-run >/dev/null || { echo "Models changed without a migration: run manage.py makemigrations." >&2; exit 1; }
	$(BIN)/pytest

# Recompile the translations after editing locale/*/LC_MESSAGES/django.po (needs GNU gettext).
messages: $(DEV_STAMP)
	$(PY) manage.py makemessages --locale zh_Hans --no-obsolete --ignore '$(VENV)/*' --ignore 'tests/*'
	$(PY) manage.py compilemessages --locale zh_Hans --ignore '$(VENV)/*'

check-deploy: install
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  DJANGO_ALLOWED_HOSTS=yishi.example.org EMAIL_HOST=smtp.example.org $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) .pytest_cache
