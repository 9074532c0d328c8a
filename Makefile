# The two commands a newcomer needs: `make run` and `make test`. `make help` lists the rest.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.hotline-installed
HOST ?= 127.0.0.1
PORT ?= 8000
export VENV

.PHONY: help install migrate demo run system-deps test lint check clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	@scripts/make-venv.sh "$(PYTHON)" "$(VENV)"

# Re-run when pyproject.toml changes; otherwise the stamp makes `make install` instant.
$(STAMP): pyproject.toml | $(BIN)/python
	@echo "Installing hotline and its development tools into $(VENV) (pip install -e '.[dev]') ..."
	@$(BIN)/python -m pip install -qq --disable-pip-version-check -e '.[dev]'
	@touch $@

install: $(STAMP) ## create .venv and install the project (quick when nothing changed)
	@:

migrate: install ## apply the database migrations (default database: var/db.sqlite3)
	@mkdir -p var
	@$(BIN)/python manage.py migrate --noinput

demo: migrate ## load the demo data into an empty database, once `hotline demo` exists
	@if $(BIN)/hotline demo --help >/dev/null 2>&1; then \
		$(BIN)/hotline demo --if-empty; \
	else \
		echo "Demo data is not available yet (no 'hotline demo' command): the database starts empty."; \
	fi

run: demo ## serve the platform on http://127.0.0.1:8000/ (development server)
	@echo "Starting Django's development server (not for production) on http://$(HOST):$(PORT)/ ; Ctrl-C stops it."
	@$(BIN)/python manage.py runserver "$(HOST):$(PORT)"

system-deps: ## install the Debian packages the tests need, when missing
	@scripts/system-deps.sh

test: install system-deps ## the whole suite on SQLite, then the database tests on PostgreSQL
	@scripts/test.sh

lint: install ## ruff and mypy (both run; fails if either finds something)
	@status=0; \
	echo "ruff check ."; $(BIN)/ruff check . || status=1; \
	echo "mypy"; $(BIN)/mypy || status=1; \
	exit $$status

check: lint test ## lint, then test

clean: ## remove caches (keeps .venv and var/)
	rm -rf .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
