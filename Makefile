# tdkt — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format openapi migrate bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip==26.3"
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

## make run: create the venv, migrate the database, load the Sơn La 2026 data, serve the API
run: $(STAMP)
	$(BIN)/tdkt serve

## make test: lint, format check, and the whole suite
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

openapi: $(STAMP)
	$(BIN)/tdkt export-openapi

migrate: $(STAMP)
	$(BIN)/tdkt migrate

## make bench: throughput as ratios of a one-query anchor on SQLite and PostgreSQL (needs wrk),
## then the in-process latency scenarios; exits non-zero when a target is missed
BENCH_DATABASES ?= sqlite,postgresql
bench: $(STAMP)
	$(BIN)/python -m bench.api --databases $(BENCH_DATABASES)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
