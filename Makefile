# Two commands matter: `make serve` (build + serve the site with the comment
# service) and `make test` (install everything the tests need, run them all).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# `make serve HOST=0.0.0.0 PORT=9000`; the defaults are comment_service/defaults.py's.
HOST ?=
PORT ?=

.PHONY: a11y-report hooks media-tools venv test-deps bench-deps html publish publisher rollback releases serve test bench clean browser java node-tools bench-node-tools servers

# Install Debian packages $(2) when command $(1) is missing (as root, or sudo).
define apt_install
command -v $(1) >/dev/null || { \
  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
    --no-install-recommends $(2); }
endef

$(BIN)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(BIN)/.test-installed: requirements-test.txt requirements.txt $(BIN)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

venv: $(BIN)/.installed

test-deps: $(BIN)/.test-installed browser java node-tools servers media-tools

# The deployment tests (tests/deploy) run Debian's nginx, redis-server and
# systemd-analyze (deploy/: the nginx configuration, the systemd units).
servers:
	@$(call apt_install,/usr/sbin/nginx,nginx)
	@$(call apt_install,redis-server,redis-server)
	@$(call apt_install,systemd-analyze,systemd)

# Debian's chromium for the browser tests (never `playwright install`).
browser:
	@$(call apt_install,chromium,chromium fonts-liberation fonts-dejavu-core)

# Debian's ffmpeg (ffprobe): the build checks videos and sounds with it
# (plugins/media), and editors prepare videos with `python -m media prepare`.
media-tools:
	@$(call apt_install,ffprobe,ffmpeg)

# Java for the Nu HTML Checker (vnu.jar), from Debian when missing.
java:
	@$(call apt_install,java,default-jre-headless)

# The pinned npm tools of the tests (package.json, package-lock.json): axe-core
# and vnu-jar. --ignore-scripts: vnu-jar's install script would download a
# Java runtime.
node-tools: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	@$(call apt_install,npm,nodejs npm)
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Lighthouse, for benchmarks/bench_lighthouse.py only (about 140 MB):
# benchmarks/package.json and its lockfile, installed into benchmarks/node_modules.
bench-node-tools: benchmarks/node_modules/.installed

benchmarks/node_modules/.installed: benchmarks/package.json benchmarks/package-lock.json
	@$(call apt_install,npm,nodejs npm)
	cd benchmarks && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

bench-deps: test-deps bench-node-tools

# A development build into output/; a content mistake prints the editors'
# French report alone (plugins/editorial/__main__.py), then make's own
# English "Error 1" line: editors run ./construire (the same build, French
# only) and ./apercu (`make serve` without make), docs/guide-redaction.md.
html: venv
	PYTHONPATH=plugins $(PY) -m editorial content -o output -s pelicanconf.py

# Production, as releases (release/, docs/publishing.md): build into
# $(SITE_ROOT)/releases/<id>/, check, then switch the served link
# $(SITE_ROOT)/current atomically; a failed build changes nothing online.
# SITE_ROOT (var/site), SITEURL, RELEASES_KEEP (5) come from the environment.
# ALLOW_DROPPED_COMMENTS=1: accept a release that shows fewer published comments
# than the live one for no reason the store knows (release/comments_kept.py).
publish: venv
	$(PY) -m release publish $(if $(ALLOW_DROPPED_COMMENTS),--allow-dropped-comments)

# Serve the previous release again (`make rollback TO=<id>` for another one).
TO ?=
rollback: venv
	$(PY) -m release rollback $(if $(TO),--to $(TO))

releases: venv
	$(PY) -m release list

# The development launcher (devserver/): site + comment service; the publisher
# (python -m publisher --dev, a child process) republishes on every change.
serve: venv
	$(PY) -m devserver $(if $(HOST),--host $(HOST)) $(if $(PORT),--port $(PORT))

# The production publisher in the foreground (systemd runs the same command
# line: docs/publishing.md): publishes, then republishes on every change.
publisher: venv
	$(PY) -m publisher --settings publishconf.py

# The editors' pre-commit hook (.pre-commit-config.yaml): the checks of the
# staged content files at each commit (docs/guide-redaction.md).
hooks: $(BIN)/.test-installed
	$(BIN)/pre-commit install

test: test-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The accessibility checks of the tests (axe-core, vnu, keyboard, reflow: the
# tests marked `autocheck`), their figures recorded in
# content/data/verifications-automatiques.json for the statement's
# « Vérifications automatiques » (plugins/accessibility/autochecks.py), which
# shows them only while content, theme and plugins stay as they were checked.
# PYTHONPATH: the recording plugin is loaded before pytest.ini's pythonpath.
A11Y_CHECKS := tests/browser/quality/test_axe.py tests/browser/quality/test_keyboard_and_reflow.py \
  tests/browser/quality/test_live_html.py tests/quality/test_html_validity.py
a11y-report: test-deps
	PYTHONPATH=plugins:tests:tests/quality $(BIN)/python -m pytest -p autocheck_record \
	  --autocheck-record -m autocheck $(A11Y_CHECKS)

# Figures, not tests: build speed, comment throughput, Lighthouse scores.
bench: bench-deps
	$(PY) benchmarks/bench_build.py
	$(PY) benchmarks/bench_publish.py
	$(PY) benchmarks/bench_comments.py
	$(PY) benchmarks/bench_cluster.py
	$(PY) benchmarks/bench_lighthouse.py
	$(PY) benchmarks/bench_media.py

clean:
	rm -rf output cache var/dev-site
