# landgis: `make run` serves the sample district map, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
TEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)  # pytest-xdist workers of `make test`

.PHONY: help run test install install-test system-packages node-packages translations lint bench clean
.DEFAULT_GOAL := help

help:  ## list these targets (the README's quick start: `make run`, `make test`)
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 18

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed translations  ## app and its Python dependencies

install-test: install $(VENV)/.installed-test system-packages node-packages  ## plus test tools, Chromium, axe-core

node-packages: node_modules/.installed  ## axe-core and gl-style-validate from npm for the tests (package-lock.json)

node_modules/.installed: package.json package-lock.json | system-packages
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

system-packages:  ## Debian packages the tests need (Chromium, CJK fonts, GDAL tools)
	scripts/install_system_packages.sh

translations: $(VENV)/.installed  ## compile the zh/en message catalogs
	$(BIN)/pybabel -q compile -d webapp/translations

run: install  ## set up, create the store from the sample district, serve on 127.0.0.1:PORT (5000)
	$(BIN)/landgis init
	$(BIN)/landgis serve --port $(PORT)

test: install-test  ## set up everything (incl. a local PostGIS), lint, then run the whole test suite
	$(BIN)/ruff check webapp scripts tests
	$(BIN)/mypy
	url=$$(scripts/start_test_postgis.sh) || echo "PostGIS unavailable: its tests will skip"; \
	LANDGIS_TEST_POSTGIS_URL=$${LANDGIS_TEST_POSTGIS_URL:-$$url} $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

lint: install-test  ## ruff over webapp, scripts and tests; mypy over webapp/domain and webapp/store
	$(BIN)/ruff check webapp scripts tests
	$(BIN)/mypy

bench: install-test  ## the map page benchmark (sample district vs a naive folium page)
	$(BIN)/python scripts/measure_map_page.py

clean:  ## remove the virtualenv and build leftovers
	rm -rf $(VENV) build *.egg-info test-artifacts node_modules
