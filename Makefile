# Agora: the two commands of the README, and a few helpers.
#   make run    set up, migrate, seed the demo forum and serve it on http://127.0.0.1:8000/
#   make test   set up and run the whole test suite (SQLite, or PostgreSQL with DATABASE_URL)

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=

.PHONY: install run serve test lint format browser bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Agora is at http://$(HOST):$(PORT)/ (admin: admin / admin, members: password agora-demo)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install browser
	$(PY) manage.py makemigrations --check --dry-run --settings=tests.settings
	$(VENV)/bin/pytest -n auto $(PYTEST_ARGS)

# Chromium for the browser tests (Debian's package; Playwright's download is not used).
browser:
	@scripts/ensure-chromium

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var build *.egg-info
