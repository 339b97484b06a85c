# Samenspel — `make demo` runs the app on the demo region, `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The product alone (demo and production), and the product with the test tools (make test).
# Both come from hashed lock files (requirements/*.txt, made by `make lock`).
PRODUCTION := $(VENV)/.installed-production
TESTING    := $(VENV)/.installed-test
PIP := $(BIN)/python -m pip install --quiet --no-deps --require-hashes --no-compile
# Front-end libraries come from npm through package-lock.json and are served by the app itself.
VENDOR := src/samenspel/web/static/vendor
ASSETS := $(VENDOR)/sigma.min.js

.PHONY: demo test test-sqlite test-postgres lint install browser clean messages lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==25.3"

$(PRODUCTION): requirements/production.txt pyproject.toml | $(BIN)/python
	$(PIP) -r requirements/production.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(PRODUCTION)

$(TESTING): requirements/test.txt $(PRODUCTION)
	$(PIP) -r requirements/test.txt
	touch $(TESTING)

$(ASSETS): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/graphology/dist/graphology.umd.min.js $(VENDOR)/
	cp node_modules/graphology/dist/graphology.umd.min.js.map $(VENDOR)/  # collectstatic checks it
	cp node_modules/graphology/LICENSE.txt $(VENDOR)/graphology.LICENSE
	cp node_modules/sigma/dist/sigma.min.js $(ASSETS)
	cp node_modules/sigma/LICENSE.txt $(VENDOR)/sigma.LICENSE
	touch $(ASSETS)

# What a server needs: the product and its front-end, no test tools.
install: $(PRODUCTION) $(ASSETS)

# Debian's chromium drives the real-browser tests in tests/browser.
browser:
	bash scripts/install-browser.sh

demo: $(PRODUCTION) $(ASSETS)
	$(BIN)/samenspel demo

lint: $(TESTING) $(ASSETS)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/lint-imports
	$(BIN)/mypy

test-sqlite: $(TESTING) $(ASSETS) browser
	$(BIN)/python -m pytest -q --durations=30

test-postgres: $(TESTING) $(ASSETS) browser
	bash scripts/test-postgres.sh $(BIN)

# Every part runs even when an earlier one fails (-k), and the run fails if any part failed.
test:
	$(MAKE) -k lint test-sqlite test-postgres

# Re-make the hashed lock files after changing the dependencies in pyproject.toml.
lock:
	$(PYTHON) -m venv var/lock-tools
	var/lock-tools/bin/python -m pip install --quiet "uv==0.13.8"
	for extra in production test; do \
	  var/lock-tools/bin/uv pip compile --quiet --universal --python-version 3.11 \
	    --generate-hashes $$( [ $$extra = test ] && echo --extra test ) \
	    --custom-compile-command "make lock" \
	    pyproject.toml requirements/build.in -o requirements/$$extra.txt; \
	done

messages: $(PRODUCTION)
	cd src/samenspel/web && ../../../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache node_modules $(VENDOR)
