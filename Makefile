# Samenspel — `make demo` runs the app on the demo region, `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-sqlite test-postgres lint install browser clean messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==25.3"
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Debian's chromium drives the real-browser tests in tests/browser.
browser:
	bash scripts/install-browser.sh

demo: $(STAMP)
	$(BIN)/samenspel demo

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/lint-imports
	$(BIN)/mypy

test-sqlite: $(STAMP) browser
	$(BIN)/python -m pytest -q

test-postgres: $(STAMP) browser
	bash scripts/test-postgres.sh $(BIN)

test: lint test-sqlite test-postgres

messages: $(STAMP)
	cd src/samenspel/web && ../../../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
