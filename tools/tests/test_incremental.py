"""An incremental `dbt build` after new raw rows land gives the same warehouse as a full refresh.

A small warehouse of its own (seed 7, which no other test uses): the raw rows loaded in the last
HOLD_OUT_DAYS days are moved aside, the project is built in full, the rows are put back as a
connector would land them, and an incremental `dbt build` runs. Its marts and incremental models
are copied aside, then `dbt build --full-refresh` rebuilds everything from scratch, and every table
must be identical to the row (EXCEPT ALL both ways and equal row counts). The as-of date moves with
the new data in both builds alike.

INCREMENTAL_TEST_SCALE (default 0.05) sets the size.
"""
from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
from conftest import run_dbt

SCALE = float(os.environ.get("INCREMENTAL_TEST_SCALE", "0.05"))
SEED = 7
HOLD_OUT_DAYS = 2
HOLD_OUT_SCHEMA = "held_out"
COPY_SCHEMA = "incremental_result"
LOAD_COLUMN = "_fivetran_synced"


def raw_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return con.sql(
        "select schema_name, table_name from duckdb_tables() where schema_name like 'raw\\_%' escape '\\' "
        "order by 1, 2"
    ).fetchall()


def hold_out_latest_loads(path: Path, days: int) -> int:
    """Moves every raw row loaded in the last `days` days (of the whole landing) into HOLD_OUT_SCHEMA;
    returns how many rows it moved."""
    con = duckdb.connect(str(path))
    try:
        tables = raw_tables(con)
        latest = con.sql(
            " union all ".join(f"select max({LOAD_COLUMN}) as loaded_at from {s}.{t}" for s, t in tables)
        ).fetchall()
        cutoff = max(row[0] for row in latest if row[0] is not None) - timedelta(days=days)
        con.execute(f"create schema if not exists {HOLD_OUT_SCHEMA}")
        moved = 0
        for schema, table in tables:
            side = f"{HOLD_OUT_SCHEMA}.{schema}__{table}"
            con.execute(f"create table {side} as select * from {schema}.{table} where {LOAD_COLUMN} > ?", [cutoff])
            moved += con.execute(f"delete from {schema}.{table} where {LOAD_COLUMN} > ?", [cutoff]).fetchone()[0]
        return moved
    finally:
        con.close()


def add_new_raw_rows(path: Path) -> int:
    """Lands the new raw rows (here: the held-out ones, put back); returns how many. The one step to
    replace with `revops append --days N` once the generator has it."""
    con = duckdb.connect(str(path))
    try:
        added = 0
        for schema, table in raw_tables(con):
            side = f"{HOLD_OUT_SCHEMA}.{schema}__{table}"
            added += con.execute(f"insert into {schema}.{table} select * from {side}").fetchone()[0]
            con.execute(f"drop table {side}")
        return added
    finally:
        con.close()


def dbt_ok(args: list[str], warehouse: Path, target: Path):
    result = run_dbt(args, warehouse, target)
    failures = [
        f"{r.node.unique_id}: {r.status} {r.message}"
        for r in (result.result or [])
        if str(r.status) in ("error", "fail", "runtime error")
    ]
    assert result.success, f"dbt {' '.join(args)} failed:\n" + "\n".join(failures or [str(result.exception)])
    return result


def compared_relations(target: Path) -> list[tuple[str, str]]:
    """Every model in the marts schema and every incremental model, as (schema, table)."""
    manifest = json.loads((target / "manifest.json").read_text())
    relations = set()
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or node["config"]["materialized"] == "ephemeral":
            continue
        if node["schema"] == "marts" or node["config"]["materialized"] == "incremental":
            relations.add((node["schema"], node["alias"]))
    return sorted(relations)


def incremental_models(target: Path) -> list[str]:
    manifest = json.loads((target / "manifest.json").read_text())
    return sorted(
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"]["materialized"] == "incremental"
    )


@pytest.fixture(scope="module")
def incremental_and_full(tmp_path_factory) -> tuple[Path, Path, dict]:
    """Builds the warehouse in full without the latest loads, lands them, builds incrementally, copies
    the results to COPY_SCHEMA, then rebuilds with --full-refresh. Returns the warehouse, the target
    dir and facts about the run."""
    from revops_tools.generator import generate

    work = tmp_path_factory.mktemp("incremental")
    warehouse = work / "warehouse.duckdb"
    target = work / "target"
    generate(str(warehouse), scale=SCALE, seed=SEED, progress=False)
    held_out = hold_out_latest_loads(warehouse, HOLD_OUT_DAYS)

    dbt_ok(["seed", "--full-refresh"], warehouse, target)
    dbt_ok(["run"], warehouse, target)
    added = add_new_raw_rows(warehouse)
    incremental = dbt_ok(["build"], warehouse, target)
    relations = compared_relations(target)

    con = duckdb.connect(str(warehouse))
    try:
        con.execute(f"create schema {COPY_SCHEMA}")
        for schema, table in relations:
            con.execute(f"create table {COPY_SCHEMA}.{schema}__{table} as select * from {schema}.{table}")
    finally:
        con.close()

    dbt_ok(["run", "--full-refresh"], warehouse, target)
    facts = {
        "held_out": held_out,
        "added": added,
        "relations": relations,
        # each incremental model of the incremental build, and whether its SQL read its own table
        # (the is_incremental() branch) rather than rebuilding from scratch
        "incremental_runs": {
            r.node.name: r.node.relation_name in (r.node.compiled_code or "")
            for r in incremental.result
            if r.node.resource_type == "model" and r.node.config.materialized == "incremental"
        },
    }
    return warehouse, target, facts


def test_hold_out_moves_rows_and_puts_them_all_back(incremental_and_full):
    _, _, facts = incremental_and_full
    assert facts["held_out"] > 0
    assert facts["added"] == facts["held_out"]


def test_incremental_models_ran_incrementally(incremental_and_full):
    _, target, facts = incremental_and_full
    models = incremental_models(target)
    assert models, "the project has no incremental model"
    assert sorted(facts["incremental_runs"]) == models
    not_incremental = [name for name, read_itself in facts["incremental_runs"].items() if not read_itself]
    assert not not_incremental, f"rebuilt from scratch instead of incrementally: {not_incremental}"


def test_incremental_build_equals_full_refresh_table_by_table(incremental_and_full):
    warehouse, _, facts = incremental_and_full
    con = duckdb.connect(str(warehouse), read_only=True)
    differences = []
    try:
        assert any(schema == "marts" for schema, _ in facts["relations"])
        for schema, table in facts["relations"]:
            full = f"{schema}.{table}"
            incremental = f"{COPY_SCHEMA}.{schema}__{table}"
            full_rows = con.sql(f"select count(*) from {full}").fetchone()[0]
            incremental_rows = con.sql(f"select count(*) from {incremental}").fetchone()[0]
            only_incremental = con.sql(
                f"select count(*) from (select * from {incremental} except all select * from {full})"
            ).fetchone()[0]
            only_full = con.sql(
                f"select count(*) from (select * from {full} except all select * from {incremental})"
            ).fetchone()[0]
            if (full_rows, only_incremental, only_full) != (incremental_rows, 0, 0):
                differences.append(
                    f"{full}: {incremental_rows} rows incremental vs {full_rows} full refresh, "
                    f"{only_incremental} only in incremental, {only_full} only in full refresh"
                )
    finally:
        con.close()
    assert not differences, "incremental build differs from full refresh:\n" + "\n".join(differences)
