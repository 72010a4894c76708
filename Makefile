# iepark: two commands matter.
#   make demo   install everything, migrate, load the demo park and serve http://127.0.0.1:8000
#   make test   install everything and run the whole test suite (SQLite, or PostgreSQL via DATABASE_URL)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VAR := var
HOST ?= 127.0.0.1
PORT ?= 8000
STUDENTS ?= 600
SEED ?= 42
PYTEST_ARGS ?=

export IEPARK_VAR_DIR ?= $(CURDIR)/$(VAR)

.PHONY: demo test install lint format serve messages clean bench

# --- installation (each step reruns only when its inputs change) -------------------
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VAR)/secret_key:
	mkdir -p $(VAR)
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

install: $(VENV)/.installed node_modules/.installed

# --- the demo park -------------------------------------------------------------------
demo: install $(VAR)/secret_key
	SECRET_KEY="$$(cat $(VAR)/secret_key)" $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	SECRET_KEY="$$(cat $(VAR)/secret_key)" $(BIN)/python manage.py migrate --noinput --verbosity 0
	SECRET_KEY="$$(cat $(VAR)/secret_key)" $(BIN)/python manage.py demo_park --seed $(SEED) --students $(STUDENTS)
	@echo "Serving the demo park on http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	SECRET_KEY="$$(cat $(VAR)/secret_key)" ALLOWED_HOSTS="$(HOST),localhost,127.0.0.1" \
		$(BIN)/gunicorn iepark.wsgi --bind $(HOST):$(PORT) --workers 1 --threads 8 --access-logfile -

# --- tests ---------------------------------------------------------------------------
test: install
	bash scripts/ensure-browser
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	cd iepark && ../$(BIN)/django-admin makemessages -l zh_Hans -l en --no-obsolete --ignore "*/tests/*"
	cd iepark && ../$(BIN)/django-admin compilemessages

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules $(VAR)
