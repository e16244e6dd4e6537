"""Sharded generation: a scale above the shard limit is made of business units (shards) whose worlds
are independent, merged into one warehouse whose keys never collide (generator/shards.py).

Small and fast: a total scale of 0.04 at a shard limit of 0.02 (two shards of 0.02).
"""
from __future__ import annotations

import shutil

import duckdb
import pytest
import test_generator
from test_generator import TRUTH, _differences

from revops_tools.generator import END, generate, shards
from revops_tools.generator.land import record_key
from revops_tools.generator.schema import NATURAL_KEYS, TABLES

SCALE, LIMIT, SEED = 0.04, 0.02, 5
DAY = 86400

# Foreign keys between raw tables (child table, column, parent table; the parent's key is `id`).
# Beside these, only the injected orphan_fk faults may point at no row. (campaign_member.contact_id
# can dangle in a world whose story ends between a webinar invitation and its contact's creation, see
# the generator README; not in this test's world.)
FOREIGN_KEYS = [
    ("raw_salesforce.user", "user_role_id", "raw_salesforce.user_role"),
    ("raw_salesforce.user", "manager_id", "raw_salesforce.user"),
    ("raw_salesforce.user_role", "parent_role_id", "raw_salesforce.user_role"),
    ("raw_salesforce.account", "owner_id", "raw_salesforce.user"),
    ("raw_salesforce.account", "parent_id", "raw_salesforce.account"),
    ("raw_salesforce.account", "stripe_customer_id_c", "raw_stripe.customer"),
    ("raw_salesforce.contact", "account_id", "raw_salesforce.account"),
    ("raw_salesforce.lead", "owner_id", "raw_salesforce.user"),
    ("raw_salesforce.lead", "converted_account_id", "raw_salesforce.account"),
    ("raw_salesforce.lead", "converted_contact_id", "raw_salesforce.contact"),
    ("raw_salesforce.lead", "converted_opportunity_id", "raw_salesforce.opportunity"),
    ("raw_salesforce.lead_history", "lead_id", "raw_salesforce.lead"),
    ("raw_salesforce.opportunity", "account_id", "raw_salesforce.account"),
    ("raw_salesforce.opportunity", "owner_id", "raw_salesforce.user"),
    ("raw_salesforce.opportunity", "campaign_id", "raw_salesforce.campaign"),
    ("raw_salesforce.opportunity_history", "opportunity_id", "raw_salesforce.opportunity"),
    ("raw_salesforce.opportunity_line_item", "opportunity_id", "raw_salesforce.opportunity"),
    ("raw_salesforce.opportunity_line_item", "product_2_id", "raw_salesforce.product_2"),
    ("raw_salesforce.quote", "opportunity_id", "raw_salesforce.opportunity"),
    ("raw_salesforce.task", "owner_id", "raw_salesforce.user"),
    ("raw_salesforce.event", "owner_id", "raw_salesforce.user"),
    ("raw_salesforce.campaign_member", "campaign_id", "raw_salesforce.campaign"),
    ("raw_salesforce.campaign_member", "lead_id", "raw_salesforce.lead"),
    ("raw_salesforce.campaign_member", "contact_id", "raw_salesforce.contact"),
    ("raw_salesforce.forecasting_quota", "quota_owner_id", "raw_salesforce.user"),
    ("raw_stripe.price", "product_id", "raw_stripe.product"),
    ("raw_stripe.subscription_history", "customer_id", "raw_stripe.customer"),
    ("raw_stripe.subscription_item", "subscription_id", "raw_stripe.subscription_history"),
    ("raw_stripe.subscription_item", "plan_id", "raw_stripe.price"),
    ("raw_stripe.discount", "coupon_id", "raw_stripe.coupon"),
    ("raw_stripe.discount", "customer_id", "raw_stripe.customer"),
    ("raw_stripe.discount", "subscription_id", "raw_stripe.subscription_history"),
    ("raw_stripe.invoice", "customer_id", "raw_stripe.customer"),
    ("raw_stripe.invoice", "subscription_id", "raw_stripe.subscription_history"),
    ("raw_stripe.invoice_line_item", "invoice_id", "raw_stripe.invoice"),
    ("raw_stripe.invoice_line_item", "subscription_id", "raw_stripe.subscription_history"),
    ("raw_stripe.invoice_line_item", "subscription_item_id", "raw_stripe.subscription_item"),
    ("raw_stripe.invoice_line_item", "plan_id", "raw_stripe.price"),
    ("raw_stripe.charge", "customer_id", "raw_stripe.customer"),
    ("raw_stripe.charge", "invoice_id", "raw_stripe.invoice"),
    ("raw_stripe.refund", "charge_id", "raw_stripe.charge"),
    ("raw_stripe.credit_note", "invoice_id", "raw_stripe.invoice"),
    ("raw_hubspot.form_submission", "contact_id", "raw_hubspot.contact"),
    ("raw_hubspot.email_event", "email_campaign_id", "raw_hubspot.email_campaign"),
    ("raw_google_ads.campaign", "account_id", "raw_google_ads.account"),
    ("raw_google_ads.campaign_stats", "campaign_id", "raw_google_ads.campaign"),
    ("raw_google_ads.campaign_stats", "account_id", "raw_google_ads.account"),
    ("raw_facebook_ads.campaign", "account_id", "raw_facebook_ads.account"),
    ("raw_facebook_ads.basic_campaign", "campaign_id", "raw_facebook_ads.campaign"),
    ("raw_facebook_ads.basic_campaign", "account_id", "raw_facebook_ads.account"),
    ("raw_linkedin_ads.campaign", "account_id", "raw_linkedin_ads.account"),
    ("raw_linkedin_ads.ad_analytics_by_campaign", "campaign_id", "raw_linkedin_ads.campaign"),
]


def _quoted(table: str) -> str:
    schema, name = table.split(".")
    return f'{schema}."{name}"'


def _fault_key(table: str) -> str:
    """SQL text of the key truth.injected_faults names a row of `table` by (see land.Lander._key)."""
    if table in NATURAL_KEYS:
        return " || '|' || ".join(f"cast({c} as varchar)" for c in NATURAL_KEYS[table])
    return "id"


@pytest.fixture(scope="module")
def worlds(tmp_path_factory):
    """Scale 0.04 as two shards: through the environment variable with two workers, and through the
    parameter with one; and the unsharded world of scale 0.02 that shard 0 must be."""
    import os

    d = tmp_path_factory.mktemp("shards")
    paths = {name: str(d / name / "warehouse.duckdb") for name in ("sharded", "one_job", "unit0")}
    os.environ[shards.SHARD_SCALE_ENV] = str(LIMIT)
    try:
        generate(paths["sharded"], scale=SCALE, seed=SEED, progress=False, jobs=2)
    finally:
        del os.environ[shards.SHARD_SCALE_ENV]
    generate(paths["one_job"], scale=SCALE, seed=SEED, progress=False, jobs=1, shard_scale=LIMIT)
    generate(paths["unit0"], scale=SCALE / 2, seed=SEED, progress=False)
    return paths


@pytest.fixture()
def sharded(worlds):
    con = duckdb.connect(worlds["sharded"], read_only=True)
    yield con
    con.close()


def test_shard_counts_and_limits():
    assert shards.shard_count(0.04, 0.02) == 2
    assert shards.shard_count(0.07, 0.01) == 7  # 0.07 / 0.01 is 7.000000000000001 in floats
    assert shards.shard_count(0.06, 0.02) == 3
    assert shards.shard_count(2.5, 2.5) == 1
    assert shards.shard_count(100, 2.5) == 40
    with pytest.raises(ValueError, match="at most"):
        shards.shard_count(1, 0.001)


def test_jobs_are_capped_by_memory_and_cores(monkeypatch):
    monkeypatch.setattr(shards, "cpu_count", lambda: 2)
    monkeypatch.setattr(shards, "available_memory_gb", lambda: 100.0)
    assert shards.default_jobs(40, 2.5) == 2  # the cores
    assert shards.default_jobs(1, 2.5) == 1  # the shards
    # 70% of 12 GB, less the merge's 1 GB, holds one shard of scale 2.5 at its expected peak, not two
    peak = shards.expected_peak_gb(2.5)
    monkeypatch.setattr(shards, "available_memory_gb", lambda: (2 * peak + shards.MERGE_MEMORY_LIMIT_GB) / 0.7 - 0.1)
    assert shards.default_jobs(40, 2.5) == 1
    monkeypatch.setattr(shards, "available_memory_gb", lambda: 0.5)
    assert shards.default_jobs(40, 2.5) == 1  # always at least one


def test_one_generation_run_of_the_total_scale(sharded):
    runs = sharded.execute("select kind, scale, seed, shards, last_sync_at from truth.generation_runs").fetchall()
    assert [r[:4] for r in runs] == [("generate", SCALE, SEED, 2)]
    latest = max(sharded.execute(f"select max(_fivetran_synced) from {_quoted(t)}").fetchone()[0] for t in TABLES)
    assert runs[0][4] == latest


def test_shard_zero_is_the_unsharded_world_of_its_scale(worlds, sharded):
    """Every row of generate(0.02) is in the sharded warehouse, which also holds the other shard's."""
    tables = [*TABLES, *TRUTH]
    diff = _differences(worlds["unit0"], worlds["sharded"], tables)
    assert {t: d[0] for t, d in diff.items() if d[0]} == {}, "rows of shard 0 missing from the sharded warehouse"
    unit0 = duckdb.connect(worlds["unit0"], read_only=True)
    for table in ("raw_salesforce.lead", "raw_stripe.invoice", "raw_web.pages", "truth.companies"):
        own = unit0.execute(f"select count(*) from {_quoted(table)}").fetchone()[0]
        assert diff[table][1] > own / 2, f"{table}: the second shard added too few rows"
    # The catalogue is shared: the second shard lands none of its own.
    for table in ("raw_stripe.product", "raw_stripe.price", "raw_stripe.coupon", "raw_salesforce.product_2"):
        assert diff[table][1] == 0, table
    unit0.close()


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_raw_key_is_unique_but_the_injected_duplicates(sharded, table):
    """Across both shards a record key holds one row, plus one per duplicate_load fault naming it."""
    key = ", ".join(f'"{c}"' for c in record_key(table))
    named_by = _fault_key(table)
    extra, unexplained, faults = sharded.execute(f"""
        with copies as (
            select {key}, any_value({named_by}) as fault_key, count(*) - 1 as extra
            from {_quoted(table)} group by all having count(*) > 1
        ),
        faults as (
            select source_id, count(*) as n from truth.injected_faults
            where source_table = '{table}' and fault_kind = 'duplicate_load' group by all
        )
        select
            coalesce((select sum(extra) from copies), 0),
            (select count(*) from copies left join faults on faults.source_id = copies.fault_key
             where copies.extra > coalesce(faults.n, 0)),
            coalesce((select sum(n) from faults), 0)
    """).fetchone()
    assert unexplained == 0, f"{table}: {unexplained} keys repeat without a duplicate_load fault"
    assert extra == faults, f"{table}: {extra} extra copies, {faults} duplicate_load faults"


def test_foreign_keys_resolve_but_the_injected_orphans(sharded):
    dangling = {}
    for child, column, parent in FOREIGN_KEYS:
        rows, orphans = sharded.execute(f"""
            select count(*), count(f.source_id)
            from {_quoted(child)} as c
            left join truth.injected_faults as f
                on f.source_table = '{child}' and f.source_id = {_fault_key(child)} and f.fault_kind = 'orphan_fk'
            where c.{column} is not null and c.{column} not in (select id from {_quoted(parent)})
        """).fetchone()
        if rows != orphans:
            dangling[f"{child}.{column}"] = rows - orphans
    assert dangling == {}
    kinds = sharded.execute(
        "select count(*) from truth.injected_faults where fault_kind = 'orphan_fk'").fetchone()[0]
    assert kinds > 0, "no orphan_fk fault injected: the check proves nothing"


def test_companies_people_and_truth_never_meet_across_shards(sharded):
    """Identity resolution links records by domain and email: two shards' companies share neither,
    and truth names one company per record."""
    companies, ids, names, domains, units = sharded.execute("""
        select count(*), count(distinct company_id), count(distinct name), count(distinct domain),
               count(distinct company_id like '%-U1')
        from truth.companies
    """).fetchone()
    assert companies == ids == names == domains
    assert units == 2
    shared = sharded.execute("""
        with work_emails as (
            select distinct lower(trim(email)) as email, s.company_id
            from raw_salesforce.lead as l
            inner join truth.source_records as s on s.source_table = 'raw_salesforce.lead' and s.source_id = l.id
            where l.email is not null
        )
        select count(*) from (
            select email from work_emails group by email
            having count(distinct case when company_id like '%-U1' then 1 else 0 end) > 1
        )
    """).fetchone()[0]
    assert shared == 0, "an email address belongs to people of both shards"
    twice = sharded.execute("""
        select count(*) from (select source_table, source_id from truth.source_records group by all
                              having count(distinct company_id) > 1)
    """).fetchone()[0]
    assert twice == 0


@pytest.mark.parametrize("check", [
    test_generator.test_raw_tables_match_the_contract_column_for_column,
    test_generator.test_history_tables_carry_validity_columns,
    test_generator.test_every_injected_fault_points_at_a_raw_row,
    test_generator.test_every_fault_kind_of_the_foundation_issue_is_injected,
], ids=lambda f: f.__name__)
def test_the_generator_checks_of_one_world_hold_for_the_sharded_warehouse(sharded, check):
    check(sharded)


@pytest.mark.parametrize("table", sorted(test_generator.ENTITY_TABLES))
def test_truth_names_the_company_behind_every_record_of_every_shard(sharded, table):
    test_generator.test_truth_names_the_company_behind_every_entity_record(sharded, table)


def test_jobs_do_not_change_the_warehouse(worlds):
    """Two workers with the shard limit from the environment, one worker with the limit as a parameter:
    the same tables, row for row and in the same order."""

    def fingerprint(path: str) -> dict[str, tuple]:
        con = duckdb.connect(path, read_only=True)
        out = {}
        for table in [*TABLES, *TRUTH]:
            out[table] = con.execute(
                f"select count(*), md5(string_agg(cast(hash(t) as varchar), ',' order by rowid)) "
                f"from {_quoted(table)} as t").fetchone()
        con.close()
        return out

    assert fingerprint(worlds["sharded"]) == fingerprint(worlds["one_job"])


def test_append_to_a_sharded_warehouse_equals_generating_the_longer_story(worlds, tmp_path, monkeypatch):
    """append reads the number of shards from truth.generation_runs, not from the shard limit of the day
    (unset here: the default limit would make one world of scale 0.04)."""
    from revops_tools.generator.append import append

    monkeypatch.delenv(shards.SHARD_SCALE_ENV, raising=False)
    appended = str(tmp_path / "appended" / "warehouse.duckdb")
    longer = str(tmp_path / "longer" / "warehouse.duckdb")
    (tmp_path / "appended").mkdir()
    shutil.copy(worlds["sharded"], appended)
    append(appended, days=2, progress=False)
    generate(longer, scale=SCALE, seed=SEED, progress=False, end=END + 2 * DAY, shard_scale=LIMIT)
    diff = _differences(appended, longer, [*TABLES, *TRUTH])
    assert {t: d for t, d in diff.items() if d != (0, 0)} == {}
    con = duckdb.connect(appended, read_only=True)
    runs = con.execute("select kind, scale, shards from truth.generation_runs order by run_id").fetchall()
    con.close()
    assert runs == [("generate", SCALE, 2), ("append", SCALE, 2)]


def test_append_to_a_warehouse_of_a_generator_before_shards(worlds, tmp_path):
    """A warehouse without the `shards` column was one world: append treats it so and adds the column."""
    from revops_tools.generator.append import append

    old = str(tmp_path / "old" / "warehouse.duckdb")
    longer = str(tmp_path / "longer" / "warehouse.duckdb")
    (tmp_path / "old").mkdir()
    shutil.copy(worlds["unit0"], old)
    con = duckdb.connect(old)
    con.execute("alter table truth.generation_runs drop column shards")
    con.close()
    append(old, days=1, progress=False)
    generate(longer, scale=SCALE / 2, seed=SEED, progress=False, end=END + DAY)
    diff = _differences(old, longer, [*TABLES, *TRUTH])
    assert {t: d for t, d in diff.items() if d != (0, 0)} == {}
    con = duckdb.connect(old, read_only=True)
    runs = con.execute("select kind, shards from truth.generation_runs order by run_id").fetchall()
    con.close()
    assert runs == [("generate", None), ("append", 1)]


def test_a_tiny_scale_with_empty_tables_generates(tmp_path):
    """Scale 0.01 leaves a table or two empty (no refund yet); the last load is still recorded."""
    path = str(tmp_path / "tiny" / "warehouse.duckdb")
    counts = generate(path, scale=0.01, seed=7, progress=False)
    assert any(counts[t] == 0 for t in TABLES), "no empty table: the test no longer covers the case"
    con = duckdb.connect(path, read_only=True)
    recorded = con.execute("select last_sync_at from truth.generation_runs").fetchone()[0]
    latest = max(v for t in TABLES
                 if (v := con.execute(f"select max(_fivetran_synced) from {_quoted(t)}").fetchone()[0]) is not None)
    con.close()
    assert recorded == latest
