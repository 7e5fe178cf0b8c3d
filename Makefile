# Two commands matter: `make serve` (build + serve the site with the comment
# service) and `make test` (install everything the tests need, run them all).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: venv test-deps html publish serve test bench clean browser

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(BIN)/.test-installed: requirements-test.txt requirements.txt $(BIN)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

venv: $(BIN)/.installed

test-deps: $(BIN)/.test-installed browser

# Debian's chromium for the browser tests (never `playwright install`).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    --no-install-recommends chromium fonts-liberation fonts-dejavu-core; }

html: venv
	$(BIN)/pelican content -o output -s pelicanconf.py

publish: venv
	$(BIN)/pelican content -o output -s publishconf.py

serve: venv
	$(PY) -m comment_service.devserver --host $(HOST) --port $(PORT)

test: test-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf output cache
