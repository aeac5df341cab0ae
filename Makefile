# One command per gate. `make run` serves Legwork on SQLite; `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# `make run PORT=9000 HOST=0.0.0.0` wins; otherwise LEGWORK_HOST / LEGWORK_PORT (default 127.0.0.1:8000).
SERVE_FLAGS := $(if $(filter command line,$(origin HOST)),--host $(HOST)) \
	$(if $(filter command line,$(origin PORT)),--port $(PORT))

.PHONY: run demo install install-dev test lint lint-openapi typecheck-ts format openapi sdk bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The first install takes a while: pip shows its progress rather than a silent minute.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --progress-bar on -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install ## install, create the schema, serve on the SQLite default
	$(BIN)/legwork migrate
	$(BIN)/legwork serve $(SERVE_FLAGS)

demo: install ## the schema, then a demo athlete with 16 weeks of logs; prints a token and URLs
	$(BIN)/legwork migrate
	$(BIN)/legwork demo

# One pytest process a core (at most 4), whole files to each: the suite is mostly waiting on
# databases and server processes. PYTEST_ARGS="-n 0" runs it in one process.
PYTEST_ARGS ?= -n auto --maxprocesses=4 --dist loadfile

test: install-dev ## SQLite always; PostgreSQL too when LEGWORK_TEST_POSTGRES_URL is set
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

openapi: install ## rewrite openapi/openapi.json from the app (tests/test_openapi.py checks it)
	$(BIN)/legwork openapi

# The Python SDK generated from the checked-in document into build/sdk (not committed);
# tests/sdk generates its own copy and drives a real server through it.
sdk: install-dev
	$(BIN)/openapi-python-client generate --path openapi/openapi.json \
		--config tools/openapi-python-client.yaml --output-path build/sdk --overwrite

# Node tools over the document, pinned in tools/package.json (npm ci installs exactly its lock):
# Redocly (recommended rules) and Spectral (oas ruleset), any error fails; and the TypeScript
# types openapi-typescript generates, type-checked with tsc against tools/ts/usage.ts.
TOOLS := tools/node_modules/.bin
tools/node_modules/.installed: tools/package.json tools/package-lock.json
	cd tools && npm ci --no-audit --no-fund --ignore-scripts
	touch $@

lint-openapi: tools/node_modules/.installed
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
		$(TOOLS)/redocly lint --config tools/redocly.yaml openapi/openapi.json
	$(TOOLS)/spectral lint --ruleset tools/spectral.yaml --fail-severity error openapi/openapi.json

typecheck-ts: tools/node_modules/.installed
	$(TOOLS)/openapi-typescript openapi/openapi.json --default-non-nullable false \
		-o build/ts/legwork.d.ts
	$(TOOLS)/tsc -p tools/ts/tsconfig.json

bench: install-dev
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
