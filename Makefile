# Two entry points: `make serve` (install, start the web app on the bundled
# articles) and `make test` (install test dependencies, run every test).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: serve test lint format check bench install install-test browser clean site

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"

serve: install
	$(BIN)/kb check
	$(BIN)/kb serve --host $(HOST) --port $(PORT)

# Browser tests need Debian's Chromium; install it when we are root and it is missing.
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

# Search indexes built by the tests go to a temporary folder, not ~/.cache/kb.
test: install-test browser
	@command -v node >/dev/null || { echo "make test: node is missing (Debian: apt-get install nodejs); the browser engine's tests need it" >&2; exit 2; }
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@cache=$$(mktemp -d) && trap 'rm -rf "$$cache"' EXIT && set -x && \
	KB_CACHE_DIR=$$cache PYTHON=$(abspath $(BIN)/python) node --test tests/js/ && \
	KB_CACHE_DIR=$$cache $(BIN)/python -m pytest -q $(PYTEST_ARGS)

# The static site (no server code): open site/index.html, or copy site/ to a web server.
site: install
	$(BIN)/python build.py --out site

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install
	$(BIN)/kb check

clean:
	rm -rf $(VENV) site build dist *.egg-info .pytest_cache .ruff_cache .kb-cache
