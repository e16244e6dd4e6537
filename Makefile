# Two commands set up everything on a fresh machine with Python 3.11:
#   make build   venv + pinned deps, generate raw data, check the landing, dbt build, docs, publish
#   make test    every test: ruff, sqlfluff lint, pytest (which generates data and runs dbt build)
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SCALE ?= 1
SEED ?= 42
TARGET ?= duckdb
WAREHOUSE_PATH ?= $(CURDIR)/warehouse.duckdb
# BI tools read this copy of the marts, swapped in atomically after each build (never the build file).
SERVING_PATH ?= $(CURDIR)/serving.duckdb
export WAREHOUSE_PATH
export DBT_PROFILES_DIR := $(CURDIR)/profiles
DBT := $(BIN)/dbt
DBT_FLAGS := --target $(TARGET)

.PHONY: system-deps install generate append check-landing build refresh spark-load postgres-load postgres-up postgres-down dev dev-sample publish dashboard test lint docs bench clean

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

# make append DAYS=1: the next DAYS days of the same world (scale and seed read from the warehouse).
DAYS ?= 1
append: install
	$(BIN)/revops append --days $(DAYS) --path "$(WAREHOUSE_PATH)"

check-landing: install
	$(BIN)/revops check-landing --path "$(WAREHOUSE_PATH)"

# TARGET=postgres: the raw tables generated into DuckDB are copied to the Postgres of the POSTGRES_*
# variables first (README "Postgres"); the dashboard and the serving file read DuckDB marts only.
build: generate check-landing
ifeq ($(TARGET),postgres)
	$(MAKE) --no-print-directory postgres-load
endif
ifeq ($(TARGET),spark)
	$(MAKE) --no-print-directory spark-load
endif
	$(DBT) seed $(DBT_FLAGS) --full-refresh
	$(DBT) build $(DBT_FLAGS)
ifeq ($(TARGET),duckdb)
	$(MAKE) --no-print-directory dashboard
endif
	$(DBT) docs generate $(DBT_FLAGS)
ifeq ($(TARGET),duckdb)
	$(MAKE) --no-print-directory publish
endif

# The scheduled run after the connectors land new data (make append DAYS=1 stands in for them): an
# incremental dbt build of every model and data test, then the serving copy. Unit tests are left out,
# as dbt recommends for production runs: they check the SQL on fixed rows, not the data, and run in
# make build, make test and CI. revops bench measures this command as its incremental build.
refresh: install
	$(DBT) build $(DBT_FLAGS) --exclude-resource-type unit_test
ifeq ($(TARGET),duckdb)
	$(MAKE) --no-print-directory publish
endif

# Spark (dbt-spark's session method: Spark in dbt's own process, local mode, Java from make system-deps):
# the raw_* tables of WAREHOUSE_PATH written as Parquet beside it (warehouse.raw_parquet/), then
# registered again as Spark tables over those files (dbt registers missing ones on every run anyway).
# Spark's metastore and warehouse persist in SPARK_STATE_DIR (git-ignored).
SPARK_STATE_DIR ?= $(CURDIR)/.spark
export SPARK_STATE_DIR
spark-load: install
	$(BIN)/revops export-parquet --path "$(WAREHOUSE_PATH)"
	$(DBT) run-operation register_raw_tables --target spark --args '{replace: true}'

# Postgres: copy the raw_* tables of WAREHOUSE_PATH into Postgres, then create the access roles and the
# restricted PII salt table (both idempotent). Connection and salt from the environment only.
postgres-load: install
	$(BIN)/revops export-postgres --path "$(WAREHOUSE_PATH)"
	$(BIN)/revops postgres-setup

# A throwaway local Postgres for development and tests: a cluster in POSTGRES_DIR on 127.0.0.1:POSTGRES_PORT
# with the login role POSTGRES_USER (password DBT_ENV_SECRET_POSTGRES_PASSWORD) owning POSTGRES_DB.
POSTGRES_DIR ?= $(CURDIR)/.postgres
postgres-up: $(VENV)/.installed
	$(BIN)/revops postgres-up --dir "$(POSTGRES_DIR)"

postgres-down: $(VENV)/.installed
	$(BIN)/revops postgres-down --dir "$(POSTGRES_DIR)"

# The analyst's loop: make dev SELECT=fct_mrr+ builds and tests the selection (dbt's selection syntax)
# on a small sample warehouse, dev.duckdb, in seconds. The sample (DEV_SCALE) is generated and built
# once, when missing (make dev-sample rebuilds it, e.g. after changing an upstream model). The same
# file, flags and target dir on every run keep dbt's partial parsing: only edited files are re-parsed.
DEV_SCALE ?= 0.05
DEV_WAREHOUSE ?= $(CURDIR)/dev.duckdb
DEV_TARGET_PATH ?= target/dev
DEV_DBT_ENV := WAREHOUSE_PATH="$(DEV_WAREHOUSE)"
dev: dev-select $(VENV)/.installed $(DEV_WAREHOUSE)
	$(DEV_DBT_ENV) $(DBT) build $(DBT_FLAGS) --target-path $(DEV_TARGET_PATH) --select $(SELECT)

$(DEV_WAREHOUSE): | $(VENV)/.installed
	rm -f "$@" "$@.wal"
	{ $(BIN)/revops generate --scale $(DEV_SCALE) --seed $(SEED) --path "$@" --quiet \
	  && $(DEV_DBT_ENV) $(DBT) seed $(DBT_FLAGS) --target-path $(DEV_TARGET_PATH) --full-refresh --quiet \
	  && $(DEV_DBT_ENV) $(DBT) run $(DBT_FLAGS) --target-path $(DEV_TARGET_PATH) --quiet; } \
	  || { rm -f "$@" "$@.wal"; exit 1; }

dev-select:
	@test -n "$(SELECT)" || { echo "usage: make dev SELECT=<model>+  (dbt selection syntax)" >&2; exit 2; }

dev-sample:
	rm -f "$(DEV_WAREHOUSE)" "$(DEV_WAREHOUSE).wal"
	$(MAKE) --no-print-directory "$(DEV_WAREHOUSE)"

# Copy the marts into the serving file BI tools read, replacing it atomically.
publish: install
	$(BIN)/revops publish --path "$(WAREHOUSE_PATH)" --serving-path "$(SERVING_PATH)"

# The static dashboard of the marts: one HTML file to open from disk (no server, no network).
DASHBOARD_OUT ?= target/dashboard/index.html
dashboard: install
	$(BIN)/revops dashboard --path "$(WAREHOUSE_PATH)" --out "$(DASHBOARD_OUT)"

lint: install
	$(BIN)/ruff check tools
	# The dbt templater opens a connection; an in-memory database keeps lint off the warehouse file.
	WAREHOUSE_PATH=:memory: $(BIN)/sqlfluff lint models tests analyses --processes 2

# system-deps installed Chromium, PostgreSQL and Java: a test that finds one missing fails, never skips.
test: lint
	REQUIRE_BROWSER=1 REQUIRE_POSTGRES=1 REQUIRE_SPARK=1 $(BIN)/pytest

# make bench SCALES="1 10": generation, DuckDB's copy lower bound, dbt build and dbt build --empty per scale.
# SEED given on the command line (make bench SEED=7) generates that world; otherwise the bench's own seed.
SCALES ?= 1
bench: install
	$(BIN)/revops bench --scales "$(SCALES)" $(if $(filter command line environment,$(origin SEED)),--seed $(SEED))

docs: install
	$(DBT) docs generate $(DBT_FLAGS)

clean:
	rm -rf target logs warehouse.duckdb warehouse.duckdb.wal serving.duckdb dev.duckdb dev.duckdb.wal
