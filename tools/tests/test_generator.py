"""The raw-data generator: the contract's tables and columns, determinism, and complete truth."""
from __future__ import annotations

import re

import duckdb
import pytest
from conftest import SHARED

from revops_tools.generator import generate
from revops_tools.generator.schema import NATURAL_KEYS, TABLES

LOADER_COLUMNS = {"_fivetran_synced", "_fivetran_start", "_fivetran_end", "_fivetran_active"}


def contract_tables() -> dict[str, list[str]]:
    """Parses ../shared/source-contract.md into {raw_schema.table: [columns in order]}."""
    text = (SHARED / "source-contract.md").read_text()
    tables: dict[str, list[str]] = {}
    schema = None
    for line in text.splitlines():
        heading = re.match(r"^## (raw_\w+)", line)
        if heading:
            schema = heading.group(1)
            continue
        row = re.match(r"^\| ([a-z_0-9.]+)(?: \(history\))? \| (.+) \|$", line)
        if not row or schema is None or row.group(1) == "table":
            continue
        name, cols = row.group(1), row.group(2)
        if "." in name:  # the ads section names tables as google_ads.account
            table = f"raw_{name}"
        else:
            table = f"{schema}.{name}"
        # Drop the contract's explanations in parentheses, keep the column names.
        cols = re.sub(r"\([^)]*\)", "", cols)
        tables[table] = [c.strip() for c in cols.split(",") if c.strip()]
    return tables


def test_contract_parses_every_source_section():
    tables = contract_tables()
    assert len(tables) == 43
    assert tables["raw_salesforce.opportunity"][:3] == ["id", "account_id", "name"]
    assert tables["raw_google_ads.campaign_stats"][0] == "date"


def test_raw_tables_match_the_contract_column_for_column(raw):
    contract = contract_tables()
    landed = {}
    for schema, table, column in raw.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where table_schema like 'raw_%' order by table_schema, table_name, ordinal_position"
    ).fetchall():
        landed.setdefault(f"{schema}.{table}", []).append(column)
    assert sorted(landed) == sorted(contract), "raw tables differ from the contract"
    for table, columns in contract.items():
        extra = [c for c in landed[table] if c not in columns]
        assert landed[table][: len(columns)] == columns, f"{table}: contract columns missing or out of order"
        # Beyond the contract only the loader's own columns and delete flags may appear.
        assert set(extra) <= LOADER_COLUMNS | {"is_deleted", "_fivetran_deleted"}, f"{table}: {extra}"
        assert "_fivetran_synced" in landed[table]


def test_history_tables_carry_validity_columns(raw):
    for table in ("raw_stripe.subscription_history", "raw_stripe.subscription_item"):
        bad = raw.execute(
            f"select count(*) from {table} where _fivetran_start > _fivetran_end "
            f"or (_fivetran_active <> (_fivetran_end = timestamp '9999-12-31 23:59:59'))"
        ).fetchone()[0]
        assert bad == 0, table


def _signature(path: str) -> dict[str, tuple]:
    con = duckdb.connect(path, read_only=True)
    out = {}
    for schema, table in con.execute(
        "select table_schema, table_name from information_schema.tables order by 1, 2"
    ).fetchall():
        out[f"{schema}.{table}"] = con.execute(
            f'select count(*), sum(hash(t)) from {schema}."{table}" as t'
        ).fetchone()
    con.close()
    return out


def test_same_seed_gives_identical_tables_and_another_seed_does_not(tmp_path):
    paths = [str(tmp_path / f"{name}.duckdb") for name in ("a", "b", "c")]
    for path, seed in zip(paths, (7, 7, 8)):
        generate(path, scale=0.02, seed=seed, progress=False)
    a, b, c = (_signature(p) for p in paths)
    assert a == b
    assert a["raw_salesforce.lead"] != c["raw_salesforce.lead"]


def test_scale_grows_tables_linearly(tmp_path):
    small, big = str(tmp_path / "s.duckdb"), str(tmp_path / "b.duckdb")
    counts_small = generate(small, scale=0.05, seed=1, progress=False)
    counts_big = generate(big, scale=0.2, seed=1, progress=False)
    for table in ("raw_salesforce.lead", "raw_stripe.invoice", "raw_web.pages", "raw_hubspot.email_event"):
        ratio = counts_big[table] / counts_small[table]
        assert 3.0 < ratio < 5.0, f"{table} grew {ratio:.2f}x for 4x the scale"


ENTITY_TABLES = {
    "raw_salesforce.account": "id", "raw_salesforce.contact": "id", "raw_salesforce.lead": "id",
    "raw_salesforce.opportunity": "id", "raw_stripe.customer": "id", "raw_stripe.subscription_history": "id",
    "raw_hubspot.contact": "id", "raw_web.identifies": "user_id",
}


@pytest.mark.parametrize("table", sorted(ENTITY_TABLES))
def test_truth_names_the_company_behind_every_entity_record(raw, table):
    key = ENTITY_TABLES[table]
    missing = raw.execute(
        f"""
        select count(distinct r.{key}) from {table} as r
        left join truth.source_records as s on s.source_table = '{table}' and s.source_id = r.{key}
        where s.source_id is null and r.{key} is not null
        """
    ).fetchone()[0]
    assert missing == 0
    companies = raw.execute(
        "select count(*) from truth.source_records s left join truth.companies c using (company_id) "
        "where c.company_id is null"
    ).fetchone()[0]
    assert companies == 0


def test_every_injected_fault_points_at_a_raw_row(raw):
    faults = raw.execute("select distinct source_table from truth.injected_faults").fetchall()
    assert {t for (t,) in faults} >= {"raw_salesforce.opportunity", "raw_stripe.charge", "raw_web.pages"}
    for (table,) in faults:
        if table in NATURAL_KEYS:
            cols = NATURAL_KEYS[table]
            key = " || '|' || ".join(f"cast({c} as varchar)" for c in cols)
        else:
            key = "id"
        dangling = raw.execute(
            f"""
            select count(*) from truth.injected_faults f
            where f.source_table = '{table}'
              and not exists (select 1 from {table} r where {key} = f.source_id)
            """
        ).fetchone()[0]
        assert dangling == 0, f"{table}: {dangling} faults name no raw row"


def test_every_fault_kind_of_the_foundation_issue_is_injected(raw):
    kinds = {k for (k,) in raw.execute("select distinct fault_kind from truth.injected_faults").fetchall()}
    assert kinds >= {"duplicate_load", "soft_delete", "merged_contact", "null_key", "orphan_fk",
                     "negative_quantity", "close_before_create", "unknown_currency", "padded_text",
                     "name_variant", "personal_email"}


def test_schema_module_covers_every_contract_table():
    assert set(contract_tables()) == set(TABLES)


# --- append: the next days of the same world ---------------------------------------------------------
APPEND_SCALE, APPEND_SEED = 0.02, 5
TRUTH = ("truth.companies", "truth.source_records", "truth.injected_faults")


def _differences(path_a: str, path_b: str, tables) -> dict[str, tuple[int, int]]:
    """Per table, the rows of a missing from b and of b missing from a (multisets, EXCEPT ALL)."""
    con = duckdb.connect(path_a, read_only=True)
    con.execute(f"attach '{path_b}' as b (read_only)")
    out = {}
    for table in tables:
        a_only = con.execute(
            f"select count(*) from (select * from {table} except all select * from b.{table})").fetchone()[0]
        b_only = con.execute(
            f"select count(*) from (select * from b.{table} except all select * from {table})").fetchone()[0]
        out[table] = (a_only, b_only)
    con.close()
    return out


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    """A small warehouse generated to the default end, one generated two days longer, and the first
    appended to: two days at once, and one day twice."""
    import shutil

    from revops_tools.generator import END
    from revops_tools.generator.append import append

    d = tmp_path_factory.mktemp("append")
    paths = {name: str(d / f"{name}.duckdb") for name in ("base", "longer", "two", "one_one")}
    generate(paths["base"], scale=APPEND_SCALE, seed=APPEND_SEED, progress=False)
    generate(paths["longer"], scale=APPEND_SCALE, seed=APPEND_SEED, progress=False, end=END + 2 * 86400)
    shutil.copy(paths["base"], paths["two"])
    shutil.copy(paths["base"], paths["one_one"])
    append(paths["two"], days=2, progress=False)
    append(paths["one_one"], days=1, progress=False)
    append(paths["one_one"], days=1, progress=False)
    return paths


def test_a_longer_story_keeps_every_row_landed_by_the_shorter_ones_end(story):
    """Prefix stability: generated to E and to E + 2 days, the warehouses differ only in records that
    changed after E (new records, and new versions of records, all landed after E); no row landed by E
    is rewritten otherwise and none disappears."""
    from revops_tools.generator import END
    from revops_tools.generator.land import record_key

    con = duckdb.connect(story["base"], read_only=True)
    con.execute(f"attach '{story['longer']}' as g (read_only)")
    end = f"to_timestamp({END})::timestamp"
    changed_somewhere = 0
    for table in TABLES:
        key = ", ".join(f'"{c}"' for c in record_key(table))
        gone, came, stale = con.execute(f"""
            with gone as (select * from {table} except all select * from g.{table}),
                 came as (select * from g.{table} except all select * from {table}),
                 keys as (select {key}, max(_fivetran_synced) as synced from g.{table}
                          where ({key}) in (select ({key}) from came) group by all)
            select (select count(*) from gone where ({key}) not in (select ({key}) from came)),
                   (select count(*) from came),
                   (select count(*) from keys where synced <= {end})
        """).fetchone()
        assert gone == 0, f"{table}: {gone} rows landed by E vanish or change without a newer version"
        assert stale == 0, f"{table}: {stale} records differ although nothing of theirs landed after E"
        changed_somewhere += came
    con.close()
    assert changed_somewhere > 0


def test_append_equals_generating_the_longer_story(story):
    diff = _differences(story["two"], story["longer"], [*TABLES, *TRUTH])
    assert {t: d for t, d in diff.items() if d != (0, 0)} == {}


def test_appending_one_day_twice_equals_appending_two_days(story):
    diff = _differences(story["one_one"], story["two"], [*TABLES, *TRUTH])
    assert {t: d for t, d in diff.items() if d != (0, 0)} == {}
    con = duckdb.connect(story["one_one"], read_only=True)
    runs = con.execute(
        "select kind, days, previous_story_end, story_end from truth.generation_runs order by run_id").fetchall()
    con.close()
    assert [r[0] for r in runs] == ["generate", "append", "append"]
    assert runs[1][2] == runs[0][3] and runs[2][2] == runs[1][3]


def test_append_lands_new_rows_after_the_old_last_sync(story):
    con = duckdb.connect(story["base"], read_only=True)
    last_sync = con.execute("select last_sync_at from truth.generation_runs").fetchone()[0]
    con.close()
    con = duckdb.connect(story["two"], read_only=True)
    newer = sum(con.execute(f"select count(*) from {t} where _fivetran_synced > ?", [last_sync]).fetchone()[0]
                for t in TABLES)
    as_of = con.execute("select max(last_sync_at) from truth.generation_runs").fetchone()[0]
    latest = max(con.execute(f"select max(_fivetran_synced) from {t}").fetchone()[0] for t in TABLES)
    con.close()
    assert newer > 0
    assert as_of == latest


@pytest.mark.parametrize("breakage, message", [
    ("drop table truth.generation_runs", "no truth.generation_runs"),
    ("delete from truth.generation_runs", "is empty"),
    ("update truth.generation_runs set previous_story_end = previous_story_end - interval 1 day "
     "where kind = 'append'", "gap in truth.generation_runs"),
    ("update truth.generation_runs set last_sync_at = last_sync_at - interval 1 hour "
     "where run_id = (select max(run_id) from truth.generation_runs)", "gap between data and metadata"),
])
def test_append_refuses_a_warehouse_without_metadata_or_with_a_gap(story, tmp_path, breakage, message):
    import shutil

    from revops_tools.generator.append import AppendError, append

    path = str(tmp_path / "broken.duckdb")
    shutil.copy(story["one_one"], path)
    con = duckdb.connect(path)
    con.execute(breakage)
    con.close()
    with pytest.raises(AppendError, match=message):
        append(path, days=1, progress=False)


def test_append_refuses_to_run_past_the_horizon_or_zero_days(story):
    from revops_tools.generator.append import AppendError, append

    with pytest.raises(AppendError, match="horizon"):
        append(story["base"], days=400, progress=False)
    with pytest.raises(AppendError, match="at least 1"):
        append(story["base"], days=0, progress=False)


def test_lead_history_never_predates_its_lead(tmp_path, monkeypatch):
    """Every drawn delay as short as it can be (1 s): a lead's MQL score, set up to two hours before
    its MQL status, still comes after the lead's creation. Scale 100 (seed 20261) had two leads
    whose score history began before the lead existed, which fct_lead_funnel's stage-order test
    caught."""
    from revops_tools.generator.world import World

    monkeypatch.setattr(World, "lognormal", lambda self, median, sigma: 1.0)
    path = str(tmp_path / "short_delays.duckdb")
    generate(path, scale=0.02, seed=3, progress=False)
    con = duckdb.connect(path, read_only=True)
    leads, early = con.execute(
        "select count(distinct lead.id), count(history.id) from raw_salesforce.lead as lead "
        "left join raw_salesforce.lead_history as history "
        "on history.lead_id = lead.id and history.created_date < lead.created_date"
    ).fetchone()
    con.close()
    assert leads > 0
    assert early == 0, f"{early} lead history rows predate their lead"
