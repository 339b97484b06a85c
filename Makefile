# Samenspel — `make demo` runs the app on the demo region, `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Front-end libraries come from npm through package-lock.json and are served by the app itself.
VENDOR := src/samenspel/web/static/vendor
ASSETS := $(VENDOR)/cytoscape.min.js

.PHONY: demo test test-sqlite test-postgres lint install browser clean messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==25.3"
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

$(ASSETS): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/cytoscape/dist/cytoscape.min.js $(ASSETS)
	cp node_modules/cytoscape/LICENSE $(VENDOR)/cytoscape.LICENSE
	touch $(ASSETS)

install: $(STAMP) $(ASSETS)

# Debian's chromium drives the real-browser tests in tests/browser.
browser:
	bash scripts/install-browser.sh

demo: $(STAMP) $(ASSETS)
	$(BIN)/samenspel demo

lint: $(STAMP) $(ASSETS)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/lint-imports
	$(BIN)/mypy

test-sqlite: $(STAMP) $(ASSETS) browser
	$(BIN)/python -m pytest -q

test-postgres: $(STAMP) $(ASSETS) browser
	bash scripts/test-postgres.sh $(BIN)

test: lint test-sqlite test-postgres

messages: $(STAMP)
	cd src/samenspel/web && ../../../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache node_modules $(VENDOR)
