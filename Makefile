# One place for the commands a contributor runs. Each target installs what it needs.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# The engine that builds the site: mkdocs, or properdocs (the maintained fork of MkDocs 1.x;
# installed from pyproject.toml's `engines` extra on first use). See MIGRATION.md.
ENGINE ?= mkdocs
ENGINES_INSTALL = $(PY) -m pip install -q -e ".[dev,engines]"

.PHONY: serve build test test-fast lint schema check bench clean release

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

## the browser editor (Decap CMS: the site's /admin/ is copied from it, so build, serve and
## test need it) and its local test server, as package-lock.json pins them (sha512 per
## package); again only when the lock changes. npm comes from Debian when it is missing.
NODE_DONE := node_modules/.package-lock.json
$(NODE_DONE): package.json package-lock.json
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq npm; }
	npm ci --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error
	touch $@

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

## serve: install, then build and serve the site at http://127.0.0.1:8000/pt-back-pain/
## (--dirty: a claim edit rebuilds only the pages that show that claim; anything else, all)
serve: $(VENV)/.installed $(NODE_DONE)
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs serve --dirty

## build: a strict build into site/ (ENGINE=properdocs: built by ProperDocs instead of MkDocs)
build: $(VENV)/.installed $(NODE_DONE)
	$(if $(filter properdocs,$(ENGINE)),$(ENGINES_INSTALL))
	NO_MKDOCS_2_WARNING=1 $(PY) -m $(ENGINE) build --strict

## test: install (Chromium, faketime, poppler-utils and npm from Debian too; `npm ci`; ProperDocs), lint, then run every test
test: $(VENV)/.installed
	@{ command -v chromium && command -v faketime && command -v pdftotext && command -v npm; } >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium faketime poppler-utils npm; }
	$(MAKE) --no-print-directory $(NODE_DONE)
	$(ENGINES_INSTALL)  # ProperDocs too: tests/test_engines.py builds with both engines and compares
	$(PY) -m ruff check evidence macros tests benchmarks
	$(PY) -m evidence check
	$(PY) -m pytest -n 2

## test-fast: the tests that build no site and drive no browser (under a minute)
test-fast: $(VENV)/.installed
	$(PY) -m pytest -n 2 -m "not slow and not browser"

lint: $(VENV)/.installed
	$(PY) -m ruff check evidence macros tests benchmarks
	$(PY) -m ruff format --check evidence macros tests benchmarks

schema: $(VENV)/.installed
	$(PY) -m evidence schema

check: $(VENV)/.installed
	$(PY) -m evidence check

## release: after `git tag -a vX.Y`, deploy that edition with mike as `latest`, the default
## (PUSH=1 also pushes gh-pages; CI does). See README, "Releasing an edition".
release: $(VENV)/.installed $(NODE_DONE)
	$(PY) -m evidence release $(if $(PUSH),--push)

bench: $(VENV)/.installed
	$(PY) -m pip install -q -e ".[dev,bench]"
	$(PY) benchmarks/run.py

clean:
	rm -rf site .cache node_modules
