# evalkit — two commands matter: `make book` and `make test`. `make help` lists the rest.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.evalkit-installed
VEGA   := vendor/vega
BUNDLE := $(VEGA)/evalkit-vega.min.js
EVALKIT_ARGS ?=
PYTEST_ARGS ?=

.PHONY: help setup book html preview test lint bench lock clean distclean

help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

$(BUNDLE): $(VEGA)/package.json $(VEGA)/package-lock.json
	cd $(VEGA) && npm ci --no-audit --no-fund --loglevel=error
	cat $(VEGA)/node_modules/vega/build/vega.min.js \
	    $(VEGA)/node_modules/vega-lite/build/vega-lite.min.js \
	    $(VEGA)/node_modules/vega-embed/build/vega-embed.min.js > $@.tmp
	mv $@.tmp $@

setup: $(STAMP) $(BUNDLE) ## Virtual environment from the lock, Debian packages, Vega bundle
	@tools/system-deps.sh book

book: setup ## Run the pipeline and build the report (HTML, and the PDF printed by chromium) into _build/
	$(BIN)/evalkit build $(EVALKIT_ARGS)

html: setup ## Build only the HTML (quicker while writing)
	$(BIN)/evalkit build --no-pdf $(EVALKIT_ARGS)

preview: setup ## Serve the HTML book on 127.0.0.1:8000 and rebuild it on every change (authors)
	$(BIN)/evalkit preview $(EVALKIT_ARGS)

test: setup ## Run the whole test suite (the browser tests use the same chromium as the PDF)
	@tools/system-deps.sh test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: setup ## Measure builds and metrics at scale; writes _build/bench.json and _build/bench.md
	$(BIN)/python -m evalkit.pipeline.bench --out _build

lint: setup ## ruff on the package, tests and notebooks; import-linter on the layers
	$(BIN)/ruff check src tests notebooks
	$(BIN)/lint-imports
	$(BIN)/ruff format --check src tests notebooks

lock: ## Regenerate requirements.lock from pyproject.toml in a throw-away environment
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check -e '.[test]'
	(echo "# Pinned environment for evalkit (Python 3.11). Regenerate with: make lock"; \
	  .lock-venv/bin/pip freeze --exclude-editable | grep -v '^evalkit') > requirements.lock
	rm -rf .lock-venv

clean: ## Remove build output (_build/)
	rm -rf _build

distclean: clean ## Also remove the environment and the vendored bundle
	rm -rf $(VENV) $(VEGA)/node_modules $(BUNDLE)
