"""An incremental `dbt build` after the next day of raw data lands gives the same warehouse as a full refresh.

A small warehouse of its own (seed 7, which no other test uses): the project is built in full, the
generator appends the next day of the same world (`revops append --days 1`, through its Python API:
new records, and new versions of changed ones, as the connectors' next sync would land them), and the
scheduled incremental build runs (`make refresh`, revops_tools.bench.SCHEDULED_BUILD: `dbt build`
without the unit tests). Its marts and incremental models are copied aside, then `dbt build
--full-refresh` rebuilds everything from scratch, and every table must be identical to the row
(EXCEPT ALL both ways and equal row counts). The as-of date moves with the new data in both builds.

Three cases the generator cannot produce are added by hand:
- a late send: before the first build the events of one email send in its month (SENT, DELIVERED)
  are held out (deleted), a send whose recipient opened it in a later month; the append lands them
  again (the generated world has them) and they are stamped with the latest load time, as a
  connector landing them days late would. The open, built in the month of its own, must move to the
  send's month (the incremental model re-assigns every event of a recipient its new events touch);
- late landing: one newly appended record of each table an incremental model reads is stamped with a
  load time a day before the previous build's latest load (a connector landing rows out of order):
  only the lookback window (var incremental_lookback_days) picks it up;
- re-landing: a record loaded long before the lookback window is loaded again now. The ad platforms
  restate recent days (the generator never does), so one old day per platform is landed again with
  new numbers, and one old email event, invoice line and charge is re-synced unchanged: each must
  replace its earlier row by the model's unique_key, never sit beside it.

INCREMENTAL_TEST_SCALE (default 0.05) sets the size and INCREMENTAL_TEST_SEED (default 7) the world, so the
check runs at any seed a benchmark used (README "Performance").
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest
from conftest import run_dbt

from revops_tools.bench import SCHEDULED_BUILD

SCALE = float(os.environ.get("INCREMENTAL_TEST_SCALE", "0.05"))
SEED = int(os.environ.get("INCREMENTAL_TEST_SEED", "7"))
APPEND_DAYS = 1
COPY_SCHEMA = "incremental_result"
LOAD_COLUMN = "_fivetran_synced"
# Records loaded this many days before the latest load are re-landed (far outside the lookback window).
RELOAD_AGE_DAYS = 10

# The raw tables each incremental model reads new rows from: the append must land rows in every one,
# or the comparison proves nothing for that model. A new incremental model is added here.
INCREMENTAL_INPUTS = {
    "stg_web__page_views": ["raw_web.pages"],
    "stg_hubspot__email_events": ["raw_hubspot.email_event"],
    "int_web_page_views_sessionized": ["raw_web.pages"],
    "int_email_events_assigned": ["raw_hubspot.email_event"],
    "int_ad_stats_unioned": [
        "raw_google_ads.campaign_stats",
        "raw_facebook_ads.basic_campaign",
        "raw_linkedin_ads.ad_analytics_by_campaign",
    ],
    "int_invoice_line_items_priced": ["raw_stripe.invoice_line_item"],
    "int_charges_converted": ["raw_stripe.charge"],
}

# Landed late by hand: raw table -> its key columns.
LANDED_LATE = {
    "raw_web.pages": ["id"],
    "raw_hubspot.email_event": ["id"],
    "raw_google_ads.campaign_stats": ["date", "campaign_id"],
    "raw_facebook_ads.basic_campaign": ["date", "campaign_id"],
    "raw_linkedin_ads.ad_analytics_by_campaign": ["day", "campaign_id"],
    "raw_stripe.invoice_line_item": ["id"],
    "raw_stripe.charge": ["id"],
}

# Records landed again by hand: raw table -> (its key columns, the change a restatement makes; None =
# a re-sync of the same values).
RELOADED = {
    "raw_google_ads.campaign_stats": (
        ["date", "campaign_id"],
        "impressions = impressions + 100, clicks = clicks + 3, cost_micros = cost_micros + 2500000",
    ),
    "raw_facebook_ads.basic_campaign": (
        ["date", "campaign_id"],
        "impressions = impressions + 100, reach = reach + 40, inline_link_clicks = inline_link_clicks + 3, "
        "spend = spend + 2.5",
    ),
    "raw_linkedin_ads.ad_analytics_by_campaign": (
        ["day", "campaign_id"],
        "impressions = impressions + 100, clicks = clicks + 3, cost_in_local_currency = cost_in_local_currency + 2.5",
    ),
    "raw_hubspot.email_event": (["id"], None),
    "raw_stripe.invoice_line_item": (["id"], None),
    "raw_stripe.charge": (["id"], None),
}


def staged_raw_rows(table: str, key: list[str]) -> str:
    """The raw rows of `table` that staging keeps now, as (key columns..., loaded_at): its base view's
    'staged' rows. Not the staging model, which may be a table built before the rows landed."""
    source, name = table.removeprefix("raw_").split(".")
    columns = ", ".join(f'"{column}"' for column in key)
    return (
        f"(select {columns}, {LOAD_COLUMN} as loaded_at from staging.base_{source}__{name} "
        "where row_disposition = 'staged')"
    )


def raw_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return con.sql(
        "select schema_name, table_name from duckdb_tables() where schema_name like 'raw\\_%' escape '\\' "
        "order by 1, 2"
    ).fetchall()


def land_next_days(path: Path, days: int) -> dict[str, dict]:
    """The connectors' next sync: the generator appends the next `days` days of the same world. Returns
    per raw table the rows inserted and replaced."""
    from revops_tools.generator.append import append

    return append(str(path), days=days, progress=False)


def latest_load(con: duckdb.DuckDBPyConnection):
    return max(con.sql(f"select max({LOAD_COLUMN}) from {s}.{t}").fetchone()[0] for s, t in raw_tables(con))


def hold_out_a_send(path: Path) -> list[str]:
    """Deletes the events of one email send in the month it was sent - its SENT event and the others of
    that month (a delivery) - where the recipient's later events of the campaign (an open, a click)
    fall in a later month; returns their ids (each has one raw row). Without them, the later events
    count in the month of the first of them."""
    con = duckdb.connect(str(path))
    try:
        rows = con.sql("""
            with events as (
                select
                    id,
                    email_campaign_id,
                    lower(trim(recipient)) as recipient,
                    upper(trim(type)) as event_type,
                    date_trunc('month', make_timestamp(created * 1000)) as event_month
                from raw_hubspot.email_event
                where id in (select id from raw_hubspot.email_event group by id having count(*) = 1)
            ),
            pairs as (
                select
                    email_campaign_id,
                    recipient,
                    count(*) filter (where event_type = 'SENT') as sends,
                    min(event_month) filter (where event_type = 'SENT') as send_month,
                    max(event_month) as last_month
                from events
                where email_campaign_id is not null and recipient is not null
                group by all
            ),
            chosen as (
                select * from pairs
                where sends = 1 and last_month > send_month
                order by email_campaign_id, recipient
                limit 1
            )
            select events.id from events
            inner join chosen
                on
                    events.email_campaign_id = chosen.email_campaign_id
                    and events.recipient = chosen.recipient
                    and events.event_month = chosen.send_month
        """).fetchall()
        ids = [row[0] for row in rows]
        assert ids, "no send with events in a later month"
        con.execute(f"delete from raw_hubspot.email_event where id in ({', '.join('?' for _ in ids)})", ids)
        return ids
    finally:
        con.close()


def land_held_out_send(path: Path, event_ids: list[str]) -> int:
    """Stamps the held-out events, landed again by the append at their original load time, with the
    latest load time; returns how many raw rows were stamped."""
    con = duckdb.connect(str(path))
    try:
        return con.execute(
            f"update raw_hubspot.email_event set {LOAD_COLUMN} = ? "
            f"where id in ({', '.join('?' for _ in event_ids)})",
            [latest_load(con), *event_ids],
        ).fetchone()[0]
    finally:
        con.close()


def land_some_rows_late(path: Path, built_until) -> dict[str, int]:
    """Stamps one record of each LANDED_LATE table that landed after `built_until` (the latest load of
    the previous build) with a load time one day before that table's latest load then, as a connector
    landing it out of order would. The record is one staging keeps. Returns per table how many raw
    rows were re-stamped."""
    con = duckdb.connect(str(path))
    try:
        late = {}
        for table, key in LANDED_LATE.items():
            staged = staged_raw_rows(table, key)
            keys = ", ".join(f'"{column}"' for column in key)
            row = con.execute(
                f"select {keys}, loaded_at from {staged} where loaded_at > ? order by loaded_at, {keys} limit 1",
                [built_until],
            ).fetchone()
            assert row is not None, f"{table}: nothing staged landed after {built_until}"
            # a day before the latest load of this table that the previous build saw: inside the
            # lookback window, and older than the watermark a run without the window would use
            previous_latest = con.execute(
                f"select max(loaded_at) from {staged} where loaded_at <= ?", [built_until]
            ).fetchone()[0]
            match = " and ".join(f'"{raw}" = ?' for raw in key)
            late[table] = con.execute(
                f"update {table} set {LOAD_COLUMN} = ? - interval 1 day where {match} and {LOAD_COLUMN} = ?",
                [previous_latest, *row],
            ).fetchone()[0]
        return late
    finally:
        con.close()


def reload_old_records(path: Path) -> dict[str, int]:
    """Lands one old record of each RELOADED table again at the latest load time (a restated ad day with
    new numbers, or a re-synced record with the same values), updating the staged copy in place as a
    connector's upsert would. The record is one staging kept, loaded RELOAD_AGE_DAYS or more before the
    latest load. Returns per table how many raw rows were landed again (1 each)."""
    con = duckdb.connect(str(path))
    try:
        latest = latest_load(con)
        reloaded = {}
        for table, (key, change) in RELOADED.items():
            keys = ", ".join(f'"{column}"' for column in key)
            row = con.execute(
                f"select {keys}, loaded_at from {staged_raw_rows(table, key)} "
                f"where loaded_at <= ? - interval {RELOAD_AGE_DAYS} day order by loaded_at, {keys} limit 1",
                [latest],
            ).fetchone()
            assert row is not None, f"{table}: no record staged {RELOAD_AGE_DAYS} days before {latest}"
            match = " and ".join(f'"{raw}" = ?' for raw in key)
            assignments = f"{change}, {LOAD_COLUMN} = ?" if change else f"{LOAD_COLUMN} = ?"
            reloaded[table] = con.execute(
                f"update {table} set {assignments} where {match} and {LOAD_COLUMN} = ?",
                [latest, *row],
            ).fetchone()[0]
        return reloaded
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


def compiled_incremental_models(result) -> dict[str, str]:
    """The SQL each incremental model of a dbt run compiled to."""
    return {
        r.node.name: r.node.compiled_code or ""
        for r in result.result
        if r.node.resource_type == "model" and r.node.config.materialized == "incremental"
    }


@pytest.fixture(scope="module")
def incremental_and_full(tmp_path_factory) -> tuple[Path, Path, dict]:
    """Builds the warehouse in full without one send, appends the next day, lands the send and a few of
    the new rows late and a few old records again, builds incrementally, copies the results to
    COPY_SCHEMA, then rebuilds with --full-refresh. Returns the warehouse, the target dir and facts
    about the run."""
    from revops_tools.generator import generate

    work = tmp_path_factory.mktemp("incremental")
    warehouse = work / "warehouse.duckdb"
    target = work / "target"
    generate(str(warehouse), scale=SCALE, seed=SEED, progress=False)
    held_out_send = hold_out_a_send(warehouse)

    dbt_ok(["seed", "--full-refresh"], warehouse, target)
    dbt_ok(["run"], warehouse, target)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        built_until = latest_load(con)
    finally:
        con.close()
    landed = land_next_days(warehouse, APPEND_DAYS)
    late_send = land_held_out_send(warehouse, held_out_send)
    late = land_some_rows_late(warehouse, built_until)
    reloaded = reload_old_records(warehouse)
    incremental = dbt_ok(SCHEDULED_BUILD, warehouse, target)
    relations = compared_relations(target)

    con = duckdb.connect(str(warehouse))
    try:
        con.execute(f"create schema {COPY_SCHEMA}")
        for schema, table in relations:
            con.execute(f"create table {COPY_SCHEMA}.{schema}__{table} as select * from {schema}.{table}")
    finally:
        con.close()

    full = dbt_ok(["run", "--full-refresh"], warehouse, target)
    facts = {
        "landed": landed,
        "held_out_send": held_out_send,
        "late_send": late_send,
        "late": late,
        "reloaded": reloaded,
        "relations": relations,
        # each incremental model's SQL in the incremental build and in the full refresh: the
        # is_incremental() branch reads only the new rows, so the two differ
        "incremental_sql": compiled_incremental_models(incremental),
        "full_refresh_sql": compiled_incremental_models(full),
    }
    return warehouse, target, facts


def test_append_landed_new_rows_for_every_incremental_model(incremental_and_full):
    _, target, facts = incremental_and_full
    assert sorted(INCREMENTAL_INPUTS) == incremental_models(target), "INCREMENTAL_INPUTS must list every model"
    empty = [
        f"{model}: {table}"
        for model, tables in INCREMENTAL_INPUTS.items()
        for table in tables
        if facts["landed"][table]["inserted"] == 0
    ]
    assert not empty, "the append landed no row in: " + ", ".join(empty)


def test_rows_were_landed_late_and_old_records_again(incremental_and_full):
    _, _, facts = incremental_and_full
    assert facts["late_send"] == len(facts["held_out_send"]), "the append did not land the held-out send again"
    assert facts["late"] == {table: 1 for table in LANDED_LATE}
    assert facts["reloaded"] == {table: 1 for table in RELOADED}
    assert {t for tables in INCREMENTAL_INPUTS.values() for t in tables} == set(LANDED_LATE)


def test_incremental_models_ran_incrementally(incremental_and_full):
    _, target, facts = incremental_and_full
    models = incremental_models(target)
    assert models, "the project has no incremental model"
    assert sorted(facts["incremental_sql"]) == models
    assert sorted(facts["full_refresh_sql"]) == models
    rebuilt = [name for name in models if facts["incremental_sql"][name] == facts["full_refresh_sql"][name]]
    assert not rebuilt, f"rebuilt from scratch instead of incrementally: {rebuilt}"


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
