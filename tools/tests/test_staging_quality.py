"""Staging against the generator's truth: every injected fault caught the way it must be, no good
row rejected, every raw row accounted for (issue: staging with rejects and data-quality checks)."""
from __future__ import annotations

import re

import duckdb
import pytest
from conftest import TEST_SEED

HANDLING_TO_DISPOSITION = {"reject": "rejected", "dedupe": "duplicate", "delete": "deleted", "merge": "merged"}


def base_models(con) -> dict[str, str]:
    """{raw table: base view} for every base model in the built warehouse."""
    views = [v for (v,) in con.execute(
        "select table_name from information_schema.tables where table_schema = 'staging' "
        "and table_name like 'base\\_%' escape '\\'"
    ).fetchall()]
    out = {}
    for view in views:
        match = re.match(r"base_(\w+?)__(\w+)$", view)
        out[f"raw_{match.group(1)}.{match.group(2)}"] = f"staging.{view}"
    return out


def load_dispositions(con):
    """Every raw row's disposition and rule, with the raw table it came from (a temp table)."""
    parts = [
        f"select '{table}' as source_table, cast(source_row_id as varchar) as source_row_id, "
        f"row_disposition, reject_rule from {view}"
        for table, view in base_models(con).items()
    ]
    con.execute("create or replace temp table dispositions as " + " union all ".join(parts))
    return con


@pytest.fixture()
def dispositions(wh):
    return load_dispositions(wh)


@pytest.fixture(scope="module")
def second_seed(tmp_path_factory):
    """Staging built on another seed and scale than the session's warehouse."""
    from conftest import run_dbt

    from revops_tools.generator import generate

    path = tmp_path_factory.mktemp("second_seed") / "warehouse.duckdb"
    generate(str(path), scale=0.05, seed=TEST_SEED + 1000, progress=False)
    target = path.parent / "target"
    assert run_dbt(["seed"], path, target).success
    result = run_dbt(["build", "-s", "models/staging", "+int_staging_row_dispositions",
                      "assert_raw_rows_reconcile_with_staging", "--indirect-selection", "cautious"],
                     path, target)
    assert result.success, "staging build on the second seed failed"
    con = duckdb.connect(str(path), read_only=True)
    yield load_dispositions(con)
    con.close()


def test_every_raw_table_has_a_base_and_a_staging_model(wh):
    raw = {f"{s}.{t}" for s, t in wh.execute(
        "select table_schema, table_name from information_schema.tables where table_schema like 'raw\\_%' escape '\\'"
    ).fetchall()}
    assert set(base_models(wh)) == raw
    staging = {t for (t,) in wh.execute(
        "select table_name from information_schema.tables where table_schema = 'staging' and table_name like 'stg\\_%' "
        "escape '\\' and table_name not like '%\\_\\_rejects' escape '\\'"
    ).fetchall()}
    assert len(staging) == len(raw)


def fault_recall(dispositions) -> list[tuple]:
    return dispositions.execute(
        """
        with expected as (
            select source_table, source_id, fault_kind, expected_handling, count(*) as injected
            from truth.injected_faults
            where expected_handling in ('reject', 'dedupe', 'delete', 'merge')
            group by all
        ),
        caught as (
            select
                e.source_table, e.source_id, e.fault_kind, e.expected_handling, e.injected,
                count(d.source_row_id) filter (
                    where d.row_disposition = case e.expected_handling
                        when 'reject' then 'rejected' when 'dedupe' then 'duplicate'
                        when 'delete' then 'deleted' else 'merged' end
                    and (e.expected_handling <> 'reject' or d.reject_rule = e.fault_kind)
                ) as caught_rows
            from expected as e
            left join dispositions as d
                on d.source_table = e.source_table and d.source_row_id = e.source_id
            group by all
        )
        select fault_kind, expected_handling, sum(injected) as injected,
               sum(least(caught_rows, injected)) as caught
        from caught group by all order by 1
        """
    ).fetchall()


@pytest.mark.parametrize("warehouse", ["session", "second_seed"])
def test_every_injected_fault_is_caught_the_way_it_must_be(warehouse, request):
    con = request.getfixturevalue("dispositions" if warehouse == "session" else "second_seed")
    rows = fault_recall(con)
    report = "\n".join(f"  {k:<22} {h:<8} {c:>6}/{n:<6} recall {c / n:.1%}" for k, h, n, c in rows)
    print("\nfault recall by kind:\n" + report)
    assert {k for k, *_ in rows} >= {"duplicate_load", "soft_delete", "merged_contact", "null_key", "orphan_fk",
                                     "negative_quantity", "close_before_create", "unknown_currency"}
    missed = [(k, n - c) for k, _, n, c in rows if c < n]
    assert not missed, f"faults not caught: {missed}\n{report}"


@pytest.mark.parametrize("warehouse", ["session", "second_seed"])
def test_no_good_row_is_rejected_or_removed(warehouse, request):
    con = request.getfixturevalue("dispositions" if warehouse == "session" else "second_seed")
    wrongly = con.execute(
        """
        select d.source_table, d.row_disposition, d.reject_rule, count(*) as n
        from dispositions d
        where d.row_disposition <> 'staged'
          and not exists (
              select 1 from truth.injected_faults f
              where f.source_table = d.source_table and f.source_id = d.source_row_id
                and f.expected_handling in ('reject', 'dedupe', 'delete', 'merge')
          )
        group by all
        """
    ).fetchall()
    assert wrongly == [], f"rows removed without an injected fault: {wrongly}"


def test_padded_text_is_normalised_in_staging(wh):
    """Emails that landed with stray spaces and odd case come out trimmed and lower-cased."""
    checks = {
        "raw_salesforce.lead": ("staging.stg_salesforce__leads", "lead_id"),
        "raw_salesforce.contact": ("staging.stg_salesforce__contacts", "contact_id"),
        "raw_stripe.customer": ("staging.stg_stripe__customers", "customer_id"),
        "raw_hubspot.contact": ("staging.stg_hubspot__contacts", "contact_id"),
    }
    for raw_table, (model, key) in checks.items():
        n, messy = wh.execute(
            f"""
            select count(*), count(*) filter (where s.email <> lower(trim(s.email)) or s.email like '% %')
            from truth.injected_faults f join {model} s on s.{key} = f.source_id
            where f.source_table = '{raw_table}' and f.fault_kind = 'padded_text'
            """
        ).fetchone()
        assert n > 0, f"no padded rows of {raw_table} reached staging"
        assert messy == 0, f"{model}: {messy} of {n} padded emails not normalised"


def test_data_quality_mart_counts_every_raw_row(wh):
    raw_total = sum(
        wh.execute(f'select count(*) from {s}."{t}"').fetchone()[0]
        for s, t in wh.execute(
            "select table_schema, table_name from information_schema.tables where table_schema like 'raw\\_%' "
            "escape '\\'"
        ).fetchall()
    )
    checked, rejected, score_min = wh.execute(
        "select sum(rows_checked), sum(rows_rejected), min(data_quality_score) from marts.fct_data_quality_loads"
    ).fetchone()
    assert checked == raw_total
    faults = wh.execute(
        "select count(*) from truth.injected_faults where expected_handling = 'reject'"
    ).fetchone()[0]
    assert rejected == faults
    assert 0 <= score_min <= 1


@pytest.fixture()
def second_seed_copy(second_seed, tmp_path):
    """A writable copy of the second seed's warehouse, to break on purpose."""
    import shutil

    (path,) = [row[2] for row in second_seed.execute("pragma database_list").fetchall() if row[1] == "warehouse"]
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(path, copy)
    return copy


def reconcile_failures(warehouse, target) -> int:
    from conftest import run_dbt

    result = run_dbt(["test", "-s", "assert_raw_rows_reconcile_with_staging"], warehouse, target)
    (test_result,) = [r for r in result.result.results if r.node.resource_type == "test"]
    return test_result.failures


@pytest.mark.parametrize("breakage", [
    # a raw table with rows whose dispositions went missing (not the empty raw table that counts as zeros)
    "delete from intermediate.int_staging_row_dispositions where source_table = 'raw_web.pages'",
    # a rejected row that never reached its rejects model
    "delete from staging.stg_web__rejects where rowid = (select min(rowid) from staging.stg_web__rejects)",
    # a raw row that staging neither staged, rejected nor removed
    "update intermediate.int_staging_row_dispositions set row_count = row_count - 1 where disposition_key = "
    "(select min(disposition_key) from intermediate.int_staging_row_dispositions "
    "where source_table = 'raw_stripe.invoice' and row_disposition = 'duplicate')",
])
def test_row_reconciliation_fails_on_unaccounted_rows(second_seed_copy, tmp_path, breakage):
    assert reconcile_failures(second_seed_copy, tmp_path / "target") == 0
    con = duckdb.connect(str(second_seed_copy))
    changed = con.execute(breakage).fetchone()[0]
    con.close()
    assert changed > 0, "the breakage changed nothing"
    assert reconcile_failures(second_seed_copy, tmp_path / "target") == 1
