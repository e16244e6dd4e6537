"""The project-structure check: a clean manifest passes, and each rule catches its violation.

The manifests are small hand-written dicts shaped like dbt 1.11's target/manifest.json
(only the fields the check reads); dbt is not run here.
"""
from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from revops_tools.cli import main
from revops_tools.structure import check_manifest

PROJECT = "revops_warehouse"
Manifest = dict[str, Any]


def _model(path: str, materialized: str = "view", columns: dict[str, str] | None = None,
           contract: bool = False, yml: str | None = "default", **meta: str) -> dict[str, Any]:
    name = Path(path).stem
    folder = str(Path(path).parent)
    patch = f"{PROJECT}://{folder}/_{Path(folder).name}__models.yml" if yml == "default" else yml
    return {
        "unique_id": f"model.{PROJECT}.{name}",
        "resource_type": "model",
        "package_name": PROJECT,
        "name": name,
        "original_file_path": path,
        "patch_path": patch,
        "description": f"The {name} model.",
        "config": {"materialized": materialized, "contract": {"enforced": contract}, "meta": dict(meta),
                   # as the project's incremental models set them (dbt writes its defaults otherwise)
                   **({"unique_key": "id", "incremental_strategy": "delete+insert", "on_schema_change": "fail"}
                      if materialized == "incremental" else {"on_schema_change": "ignore"})},
        "meta": dict(meta),
        "columns": {
            column: {"name": column, "description": description, "meta": {}, "config": {"meta": {}}}
            for column, description in (columns or {}).items()
        },
    }


def _test(model: str, test: str, column: str | None = None, **kwargs: Any) -> dict[str, Any]:
    suffix = column or "_".join(kwargs.get("combination_of_columns", []))
    return {
        "unique_id": f"test.{PROJECT}.{test}_{model}_{suffix}",
        "resource_type": "test",
        "package_name": PROJECT,
        "name": f"{test}_{model}_{suffix}",
        "attached_node": f"model.{PROJECT}.{model}",
        "column_name": column,
        "depends_on": {"nodes": [f"model.{PROJECT}.{model}"]},
        "test_metadata": {"name": test, "namespace": None,
                          "kwargs": {"column_name": column, "model": f"{{{{ ref('{model}') }}}}", **kwargs}},
    }


def _source(source: str, table: str) -> dict[str, Any]:
    freshness = {"warn_after": {"count": 24, "period": "hour"},
                 "error_after": {"count": 48, "period": "hour"}, "filter": None}
    return {
        "unique_id": f"source.{PROJECT}.{source}.{table}",
        "resource_type": "source",
        "package_name": PROJECT,
        "source_name": source,
        "name": table,
        "original_file_path": f"models/staging/{source}/_{source}__sources.yml",
        "loaded_at_field": "_fivetran_synced",
        "freshness": freshness,
        "config": {"loaded_at_field": "_fivetran_synced", "freshness": freshness, "meta": {}},
        "meta": {},
        "source_meta": {},
    }


# fct_mrr reads dim_customers (a table) through one import CTE, twice
_READS_TWICE = """with customers as {hint}(
    select * from {{{{ ref('dim_customers') }}}}
),
current_customers as (
    select customer_id from customers where is_current
)
select customers.customer_id
from customers
inner join current_customers on customers.customer_id = current_customers.customer_id
"""


def clean_manifest() -> Manifest:
    """A small project that follows every rule: base, staging, rejects, intermediate and marts."""
    nodes = [
        _model("models/staging/stripe/base/base_stripe__customer.sql",
               columns={"source_row_id": "Raw id.", "row_disposition": "What staging does with the row."}),
        _model("models/staging/stripe/stg_stripe__customers.sql",
               columns={"customer_id": "Stripe customer id.", "email": "Billing email."}),
        _test("stg_stripe__customers", "unique", "customer_id"),
        _test("stg_stripe__customers", "not_null", "customer_id"),
        _model("models/staging/stripe/stg_stripe__rejects.sql", materialized="table",
               columns={"reject_id": "Key of the rejected row.", "reject_rule": "Rule broken."}),
        _test("stg_stripe__rejects", "unique", "reject_id"),
        _test("stg_stripe__rejects", "not_null", "reject_id"),
        _model("models/intermediate/billing/int_customer_months_spined.sql",
               columns={"customer_id": "Customer.", "month": "Month."}),
        _test("int_customer_months_spined", "unique_combination_of_columns",
              combination_of_columns=["customer_id", "month"]),
        _test("int_customer_months_spined", "not_null", "customer_id"),
        _test("int_customer_months_spined", "not_null", "month"),
        _model("models/marts/customer/dim_customers.sql", materialized="table", contract=True,
               columns={"customer_id": "Customer.", "name": "Name."}),
        _test("dim_customers", "unique", "customer_id"),
        _test("dim_customers", "not_null", "customer_id"),
        _model("models/marts/revenue/fct_mrr.sql", materialized="incremental", contract=True,
               columns={"customer_id": "Customer.", "month": "Month.", "plan_id": "Plan.", "mrr": "MRR."}),
        _test("fct_mrr", "unique_combination_of_columns", combination_of_columns=["customer_id", "month"]),
        _test("fct_mrr", "not_null", "customer_id"),
        _test("fct_mrr", "not_null", "month"),
        _test("fct_mrr", "relationships", "customer_id", to="ref('dim_customers')", field="customer_id"),
    ]
    manifest: Manifest = {
        "metadata": {"project_name": PROJECT},
        "nodes": {n["unique_id"]: n for n in nodes},
        "sources": {s["unique_id"]: s for s in [_source("stripe", "customer")]},
    }
    _node(manifest, "fct_mrr")["columns"]["plan_id"]["meta"] = {"fk_exempt": "no plan dimension yet"}
    _node(manifest, "fct_mrr")["raw_code"] = _READS_TWICE.format(hint="{{ not_materialized() }} ")
    return manifest


def _node(manifest: Manifest, name: str) -> dict[str, Any]:
    return next(n for n in manifest["nodes"].values() if n["name"] == name)


def _add(manifest: Manifest, node: dict[str, Any]) -> None:
    manifest["nodes"][node["unique_id"]] = node


def _drop_test(manifest: Manifest, model: str, test: str, column: str | None = None) -> None:
    for key, node in list(manifest["nodes"].items()):
        meta = node.get("test_metadata") or {}
        if node.get("attached_node", "").endswith(f".{model}") and meta.get("name") == test and (
            column is None or node.get("column_name") == column
        ):
            del manifest["nodes"][key]


def test_clean_manifest_passes() -> None:
    assert check_manifest(clean_manifest()) == []


def test_other_packages_are_not_checked() -> None:
    manifest = clean_manifest()
    foreign = _model("models/whatever/anything.sql", materialized="table")
    foreign["package_name"] = "some_package"
    _add(manifest, foreign)
    assert check_manifest(manifest) == []


# Each case: a change that breaks one rule, and a fragment of the message that must report it.
BREAKS: dict[str, tuple[Callable[[Manifest], None], str]] = {
    "model outside the layers": (
        lambda m: _add(m, _model("models/misc/stg_stripe__x.sql", columns={"a": "A."})),
        "models live in models/staging, models/intermediate or models/marts"),
    "staging model not in a source folder": (
        lambda m: _add(m, _model("models/staging/stg_stripe__charges.sql", columns={"a": "A."})),
        "staging models live in models/staging/<source>/"),
    "staging model named for another source": (
        lambda m: _add(m, _model("models/staging/stripe/stg_hubspot__contacts.sql", columns={"a": "A."})),
        "is named stg_stripe__<entity>"),
    "staging model without the double underscore": (
        lambda m: _add(m, _model("models/staging/stripe/stg_stripe_charges.sql", columns={"a": "A."})),
        "is named stg_stripe__<entity>"),
    "staging folder that is no source": (
        lambda m: _add(m, _model("models/staging/zendesk/stg_zendesk__tickets.sql", columns={"a": "A."})),
        "is not the name of a declared source"),
    "staging model materialized ephemeral": (
        lambda m: _node(m, "stg_stripe__customers")["config"].update(materialized="ephemeral"),
        "staging models are views or tables or incrementals"),
    "incremental model without a unique_key": (
        lambda m: _node(m, "stg_stripe__customers")["config"].update(
            materialized="incremental", incremental_strategy="delete+insert", on_schema_change="fail"),
        "an incremental model sets unique_key explicitly"),
    "incremental model on dbt's default strategy": (
        lambda m: _node(m, "stg_stripe__customers")["config"].update(
            materialized="incremental", unique_key="customer_id", on_schema_change="fail"),
        "an incremental model sets incremental_strategy explicitly"),
    "incremental model ignoring schema changes": (
        lambda m: _node(m, "stg_stripe__customers")["config"].update(
            materialized="incremental", unique_key="customer_id", incremental_strategy="delete+insert",
            on_schema_change="ignore"),
        "never dbt's silent default ignore"),
    "base model misnamed": (
        lambda m: _add(m, _model("models/staging/stripe/base/stripe_charge_raw.sql", columns={"a": "A."})),
        "is named base_stripe__<entity>"),
    "base model materialized as a table": (
        lambda m: _node(m, "base_stripe__customer")["config"].update(materialized="table"),
        "base models are views"),
    "unit test name longer than Postgres allows": (
        lambda m: m.setdefault("unit_tests", {}).update({"unit_test.revops.fct_mrr." + "t" * 64: {
            "unique_id": "unit_test.revops.fct_mrr." + "t" * 64, "name": "t" * 64, "package_name": PROJECT,
            "original_file_path": "models/marts/revenue/_revenue__models.yml"}}),
        "names longer than 63 characters"),
    "intermediate model without int_ prefix": (
        lambda m: _add(m, _model("models/intermediate/billing/customer_months.sql", columns={"a": "A."})),
        "intermediate models are named int_"),
    "intermediate model outside a domain folder": (
        lambda m: _add(m, _model("models/intermediate/int_customer_months.sql", columns={"a": "A."})),
        "intermediate models live in models/intermediate/<domain>/"),
    "mart without fct_ or dim_ prefix": (
        lambda m: _add(m, _model("models/marts/revenue/mrr_report.sql", materialized="table", contract=True,
                                 columns={"a": "A."})),
        "marts are named fct_"),
    "mart outside a domain folder": (
        lambda m: _add(m, _model("models/marts/fct_bookings.sql", materialized="table", contract=True,
                                 columns={"a": "A."})),
        "marts live in models/marts/<domain>/"),
    "mart materialized as a view": (
        lambda m: _node(m, "dim_customers")["config"].update(materialized="view"),
        "marts are materialized table or incremental"),
    "mart without an enforced contract": (
        lambda m: _node(m, "dim_customers")["config"].update(contract={"enforced": False}),
        "marts have an enforced contract"),
    "model without description": (
        lambda m: _node(m, "stg_stripe__customers").update(description="  "),
        "the model has no description"),
    "column without description": (
        lambda m: _node(m, "fct_mrr")["columns"]["mrr"].update(description=""),
        "column 'mrr' has no description"),
    "model whose YAML documents no columns": (
        lambda m: _node(m, "dim_customers").update(columns={}),
        "documents no columns"),
    "model without YAML": (
        lambda m: _node(m, "stg_stripe__customers").update(patch_path=None),
        "has no YAML entry"),
    "model documented in the wrong YAML file": (
        lambda m: _node(m, "stg_stripe__customers").update(
            patch_path=f"{PROJECT}://models/staging/stripe/schema.yml"),
        "expected models/staging/stripe/_stripe__models.yml"),
    "no primary key test": (
        lambda m: [_drop_test(m, "dim_customers", t) for t in ("unique", "not_null")],
        "no primary key test"),
    "unique without not_null": (
        lambda m: _drop_test(m, "stg_stripe__customers", "not_null"),
        "also need not_null"),
    "unique and not_null on different columns": (
        lambda m: [_drop_test(m, "stg_stripe__customers", "not_null"),
                   _add(m, _test("stg_stripe__customers", "not_null", "email"))],
        "unique column(s) customer_id also need not_null"),
    "combination key column without not_null": (
        lambda m: _drop_test(m, "int_customer_months_spined", "not_null", "month"),
        "key columns lack not_null: month"),
    "mart foreign key without relationships test": (
        lambda m: _drop_test(m, "fct_mrr", "relationships"),
        "foreign key 'customer_id' has no relationships test"),
    "fk_exempt without a reason": (
        lambda m: _node(m, "fct_mrr")["columns"]["plan_id"].update(meta={"fk_exempt": " "}),
        "foreign key 'plan_id' has no relationships test"),
    "import CTE of a table read twice without the hint": (
        lambda m: _node(m, "fct_mrr").update(raw_code=_READS_TWICE.format(hint="")),
        "import CTE 'customers' of dim_customers is read 2 times"),
    "source table without loaded_at_field": (
        lambda m: [s.update(loaded_at_field=None) or s["config"].update(loaded_at_field=None)
                   for s in m["sources"].values()],
        "no loaded_at_field"),
    "source table without freshness": (
        lambda m: [s.update(freshness=None) or s["config"].update(freshness=None) for s in m["sources"].values()],
        "no freshness rule"),
    "source freshness without a count": (
        lambda m: [s.update(freshness={"warn_after": {"count": None, "period": None},
                                       "error_after": {"count": None, "period": None}})
                   or s["config"].update(freshness=None) for s in m["sources"].values()],
        "no freshness rule"),
}


@pytest.mark.parametrize("case", list(BREAKS))
def test_each_rule_reports_its_violation(case: str) -> None:
    manifest = clean_manifest()
    breaker, expected = BREAKS[case]
    breaker(manifest)
    violations = check_manifest(manifest)
    assert any(expected in v for v in violations), violations


def test_a_violation_names_the_model_and_its_file() -> None:
    manifest = clean_manifest()
    _node(manifest, "fct_mrr")["columns"]["mrr"]["description"] = ""
    assert check_manifest(manifest) == [
        "fct_mrr (models/marts/revenue/fct_mrr.sql): column 'mrr' has no description"
    ]


def _pk_exempt(m: Manifest) -> None:
    for test in ("unique", "not_null"):
        _drop_test(m, "stg_stripe__customers", test)
    _node(m, "stg_stripe__customers")["config"]["meta"]["pk_exempt"] = "a one-row settings table"


def _fk_exempt_under_config(m: Manifest) -> None:
    _node(m, "fct_mrr")["columns"]["plan_id"].update(meta={}, config={"meta": {"fk_exempt": "no plan dim yet"}})


def _freshness_exempt(m: Manifest) -> None:
    for source in m["sources"].values():
        source.update(freshness=None, meta={"freshness_exempt": "catalogue table, rarely changes"})
        source["config"]["freshness"] = None


def _tests_without_attached_node(m: Manifest) -> None:
    for node in m["nodes"].values():
        node.pop("attached_node", None)


def _single_column_key_is_no_foreign_key(m: Manifest) -> None:
    _add(m, _model("models/marts/billing/dim_plans.sql", materialized="table", contract=True,
                   columns={"plan_id": "Plan.", "name": "Name."}))
    _add(m, _test("dim_plans", "unique", "plan_id"))
    _add(m, _test("dim_plans", "not_null", "plan_id"))


def _import_cte_of_a_view_read_twice(m: Manifest) -> None:
    _node(m, "int_customer_months_spined").update(
        raw_code=_READS_TWICE.format(hint="").replace("dim_customers", "stg_stripe__customers"))


def _import_cte_read_once(m: Manifest) -> None:
    _node(m, "fct_mrr").update(raw_code="with customers as (\n    select * from {{ ref('dim_customers') }}\n)\n"
                                        "select customer_id from customers\n")


def _import_cte_read_twice_on_postgres(m: Manifest) -> None:
    m["metadata"]["adapter_type"] = "postgres"
    _node(m, "fct_mrr").update(raw_code=_READS_TWICE.format(hint=""))


def _postgres_base_tables(m: Manifest) -> None:
    m["metadata"]["adapter_type"] = "postgres"
    for name in ("stg_stripe__customers", "base_stripe__customer"):
        _node(m, name)["config"].update(materialized="table")


@pytest.mark.parametrize("change", [
    _pk_exempt,
    _postgres_base_tables,
    _fk_exempt_under_config,
    _freshness_exempt,
    _tests_without_attached_node,
    _single_column_key_is_no_foreign_key,
    _import_cte_read_once,
    _import_cte_of_a_view_read_twice,
    _import_cte_read_twice_on_postgres,
])
def test_documented_exceptions_pass(change: Callable[[Manifest], None]) -> None:
    manifest = clean_manifest()
    change(manifest)
    assert check_manifest(manifest) == []


@pytest.mark.parametrize("adapter_type", ["duckdb", "spark", "postgres"])
def test_base_tables_are_allowed_only_where_the_project_makes_them(adapter_type: str) -> None:
    manifest = clean_manifest()
    manifest["metadata"]["adapter_type"] = adapter_type
    _node(manifest, "stg_stripe__customers")["config"].update(materialized="table")
    _node(manifest, "base_stripe__customer")["config"].update(materialized="table")
    violations = check_manifest(manifest)
    assert not any("staging models are" in v for v in violations), violations
    base_table = any("base_stripe__customer" in v and "base models are" in v for v in violations)
    assert base_table == (adapter_type != "postgres"), violations


def test_cli_exits_1_and_lists_violations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = clean_manifest()
    _node(manifest, "dim_customers")["config"]["contract"] = {"enforced": False}
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest))
    assert main(["check-structure", "--manifest", str(path)]) == 1
    assert "dim_customers (models/marts/customer/dim_customers.sql): marts have an enforced contract" in (
        capsys.readouterr().out
    )


def test_cli_exits_0_on_a_clean_manifest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(copy.deepcopy(clean_manifest())))
    assert main(["check-structure", "--manifest", str(path)]) == 0
    assert "structure ok" in capsys.readouterr().out
