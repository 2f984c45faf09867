# PartnerOps: `make run` to try it, `make test` to test it. See README.md.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
PYTEST_ARGS ?=
# Development defaults for `make run`; production sets its own environment.
export DEBUG ?= 1

.PHONY: run serve test fuzz demo bench lint typecheck check install migrate permissions-doc clean

# The virtualenv is rebuilt when the dependencies change.
$(BIN)/.installed: pyproject.toml requirements/constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt -e '.[dev]'
	touch $@

install: $(BIN)/.installed

migrate: install
	$(BIN)/partnerops migrate --noinput
	$(BIN)/partnerops ensure_admin

run: migrate
	$(BIN)/partnerops runserver $(HOST):$(PORT)

# Production: gunicorn with several workers (see README, "Production").
serve: install
	$(BIN)/partnerops serve --bind $(HOST):$(PORT)

demo: migrate
	$(BIN)/partnerops demo

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

# Schemathesis over every API operation against the app served in production mode, as an
# administrator and as a viewer (tests/fuzz_api.py); figures in var/fuzz/summary.json.
fuzz: install
	$(BIN)/python -m tests.fuzz_api

bench: install
	DEBUG=0 SECRET_KEY=bench-only-$$(date +%s)-not-a-real-secret-0123456789abcdefghijklmnop \
	  ALLOWED_HOSTS=testserver SECURE_SSL_REDIRECT=0 $(BIN)/python -m bench

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: install
	$(BIN)/mypy

check: lint typecheck test

permissions-doc: install
	$(BIN)/python -m tests.permissions_matrix > docs/permissions.md

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
