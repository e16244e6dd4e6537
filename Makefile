# Two commands set up everything on a fresh machine with Python 3.11:
#   make build   venv + pinned deps, generate raw data, check the landing, dbt build
#   make test    every test: ruff, sqlfluff lint, pytest (which generates data and runs dbt build)
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SCALE ?= 1
SEED ?= 42
TARGET ?= duckdb
WAREHOUSE_PATH ?= $(CURDIR)/warehouse.duckdb
export WAREHOUSE_PATH
export DBT_PROFILES_DIR := $(CURDIR)/profiles
DBT := $(BIN)/dbt
DBT_FLAGS := --target $(TARGET)

.PHONY: system-deps install generate check-landing build test lint docs bench clean

install: system-deps $(VENV)/.installed

# Debian packages (Chromium for the dashboard test, ...): tools/system-packages.txt.
system-deps:
	tools/scripts/install_system_packages.sh

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

generate: install
	$(BIN)/revops generate --scale $(SCALE) --seed $(SEED) --path "$(WAREHOUSE_PATH)"

check-landing: install
	$(BIN)/revops check-landing --path "$(WAREHOUSE_PATH)"

build: generate check-landing
	$(DBT) seed $(DBT_FLAGS) --full-refresh
	$(DBT) build $(DBT_FLAGS)

lint: install
	$(BIN)/ruff check tools
	# The dbt templater opens a connection; an in-memory database keeps lint off the warehouse file.
	WAREHOUSE_PATH=:memory: $(BIN)/sqlfluff lint models tests analyses --processes 2

test: lint
	$(BIN)/pytest

# make bench SCALES="1 10": generation, DuckDB's copy lower bound, dbt build and dbt build --empty per scale.
SCALES ?= 1
bench: install
	$(BIN)/revops bench --scales "$(SCALES)"

docs: install
	$(DBT) docs generate $(DBT_FLAGS)

clean:
	rm -rf target logs warehouse.duckdb warehouse.duckdb.wal
