"""Project-structure check on dbt's `target/manifest.json`: the layout and naming rules of
shared/conventions.md, checked by a tool instead of by memory.

Rules (each violation is one human-readable line):

- Layers and names. Staging models live in `models/staging/<source>/`, are named
  `stg_<source>__<entity>` (the folder is a declared source) and are views or tables (dbt_project.yml
  chooses per engine), or incremental for the largest append-only raw tables; never ephemeral. Base
  models (every raw row with its disposition, the layer under staging) live in
  `models/staging/<source>/base/`, are named `base_<source>__<entity>` and are views. Intermediate
  models live in
  `models/intermediate/<domain>/` and are named `int_...`. Marts live in `models/marts/<domain>/`,
  are named `fct_...` or `dim_...`, are materialized `table` or `incremental` and have
  `contract.enforced: true`. No model lives anywhere else. On engines where dbt_project.yml makes
  the base models tables (ENGINES_WITH_BASE_TABLES, read from the manifest's adapter_type), base
  models may be tables too.
- Incremental models (any layer) name their `unique_key` and `incremental_strategy` and set
  `on_schema_change` to something other than dbt's silent default `ignore`: strategies differ by
  engine (shared/conventions.md), and a column added without a full refresh must not pass unnoticed.
- Documentation. Every model and every column of its YAML has a non-empty description, the YAML
  declares at least one column, and the YAML entry is in the folder's `_<folder>__models.yml`.
- Primary key. Every model has a column tested both `unique` and `not_null`, or a
  `unique_combination_of_columns` test whose columns are each tested `not_null`. Base models are
  exempt (they keep duplicate loads on purpose); any other model can opt out only with a reason in
  `meta: {pk_exempt: "<reason>"}`.
- Foreign keys. In marts, every column ending in `_id` other than a single-column primary key has a
  `relationships` test, unless the column's meta gives `fk_exempt: "<reason>"`.
- Sources. Every source table has `loaded_at_field` and a freshness rule (`warn_after` or
  `error_after` with a count and a period), unless its meta gives `freshness_exempt: "<reason>"`.

- Import CTEs read twice. An import CTE (`name as (select * from {{ ref('x') }})`) of a table,
  incremental model or seed that the model reads more than once (`from name` / `join name`) carries
  `{{ not_materialized() }}`: DuckDB materialises a CTE read twice, a copy of the whole relation with
  every column, before the query filters or projects it (5x slower than two scans in a 10 M row
  test). Views are left alone: there the copy saves re-running the view. DuckDB manifests only:
  Postgres makes staging tables, and its planner has its own reasons to keep a CTE.

- Unit test names. At most 63 characters: dbt names a relation after each unit test, and Postgres
  refuses longer identifiers (the test would pass on DuckDB and error on Postgres).

Only the root project's nodes are checked (installed packages are someone else's).
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

LAYERS = ("staging", "intermediate", "marts")
MART_MATERIALIZATIONS = ("table", "incremental")
MAX_IDENTIFIER_LENGTH = 63  # Postgres's NAMEDATALEN - 1
STAGING_MATERIALIZATIONS = ("view", "table", "incremental")
# dbt_project.yml: base models are tables on Postgres (its planner re-plans stacks of views).
ENGINES_WITH_BASE_TABLES = {"postgres"}
ENTITY = r"[a-z][a-z0-9_]*"
_REF = re.compile(r"ref\(\s*['\"]([^'\"]+)['\"]\s*\)")
_IMPORT_CTE = re.compile(r"\b(\w+)\s+as\s+\(\s*select\s+\*\s+from\s+\{\{\s*ref\(\s*['\"](\w+)['\"]\s*\)\s*\}\}\s*\)",
                         re.IGNORECASE)
SCANNED_MATERIALIZATIONS = ("table", "incremental", "seed", "snapshot")


def load_manifest(path: str | Path) -> dict[str, Any]:
    """Read a manifest.json file."""
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def check_manifest(manifest: dict[str, Any], project_name: str | None = None) -> list[str]:
    """Return every structure violation of the project in `manifest` (empty when it is clean).

    `project_name` defaults to the manifest's own project (`metadata.project_name`).
    """
    project = project_name or manifest.get("metadata", {}).get("project_name")

    def ours(node: dict[str, Any]) -> bool:
        return project is None or node.get("package_name") == project

    nodes = manifest.get("nodes", {})
    models = [n for n in nodes.values() if n.get("resource_type") == "model" and ours(n)]
    sources = [s for s in manifest.get("sources", {}).values() if ours(s)]
    source_names = {s.get("source_name") for s in manifest.get("sources", {}).values()}
    tests = _tests_by_model(nodes.values())
    adapter_type = manifest.get("metadata", {}).get("adapter_type")
    base_materializations = ("view", "table") if adapter_type in ENGINES_WITH_BASE_TABLES else ("view",)

    scanned = {n.get("name") for n in nodes.values()
               if n.get("resource_type") in ("seed", "snapshot")
               or (n.get("resource_type") == "model"
                   and n.get("config", {}).get("materialized") in SCANNED_MATERIALIZATIONS)}

    violations: list[str] = []
    for model in sorted(models, key=lambda n: n.get("original_file_path", "")):
        layer = _layer(model)
        if adapter_type in (None, "duckdb"):
            violations += _check_import_ctes(model, scanned)
        model_tests = tests.get(model["unique_id"], [])
        violations += _check_location(model, layer, source_names, base_materializations)
        violations += _check_incremental_config(model)
        violations += _check_documentation(model)
        primary_key, key_violations = _check_primary_key(model, layer, model_tests)
        violations += key_violations
        if layer == "marts":
            violations += _check_foreign_keys(model, model_tests, primary_key)
    for source in sorted(sources, key=lambda s: s.get("unique_id", "")):
        violations += _check_freshness(source)
    for unit_test in sorted(manifest.get("unit_tests", {}).values(), key=lambda u: u.get("unique_id", "")):
        if ours(unit_test) and len(unit_test.get("name", "")) > MAX_IDENTIFIER_LENGTH:
            violations.append(
                f"unit test {unit_test['name']} ({unit_test.get('original_file_path')}): names longer than "
                f"{MAX_IDENTIFIER_LENGTH} characters are refused as relation names by Postgres"
            )
    return violations


# ------------------------------------------------------------------------------------- helpers
def _plural(materializations: tuple[str, ...]) -> str:
    return " or ".join(f"{m}s" for m in materializations)


def _label(node: dict[str, Any]) -> str:
    return f"{node.get('name')} ({node.get('original_file_path')})"


def _parts(node: dict[str, Any]) -> tuple[str, ...]:
    return PurePosixPath(node.get("original_file_path", "").replace("\\", "/")).parts


def _layer(model: dict[str, Any]) -> str | None:
    parts = _parts(model)
    if len(parts) >= 3 and parts[0] == "models" and parts[1] in LAYERS:
        return parts[1]
    return None


def _meta(item: dict[str, Any]) -> dict[str, Any]:
    """meta from both places dbt keeps it (top level and config)."""
    meta = dict(item.get("config", {}).get("meta") or {})
    meta.update(item.get("meta") or {})
    return meta


def _reason(item: dict[str, Any], key: str) -> bool:
    value = _meta(item).get(key)
    return isinstance(value, str) and bool(value.strip())


def _norm(column: str | None) -> str:
    return (column or "").strip().strip('"`[]').lower()


def _tests_by_model(nodes: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Generic tests grouped by the model they are attached to."""
    by_model: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node in nodes:
        if node.get("resource_type") != "test" or not node.get("test_metadata"):
            continue
        attached = node.get("attached_node")
        if not attached:
            depends = node.get("depends_on", {}).get("nodes", [])
            model_ref = _REF.search(str(node["test_metadata"].get("kwargs", {}).get("model", "")))
            if model_ref:
                attached = next((d for d in depends if d.split(".")[-1] == model_ref.group(1)), None)
            elif len(depends) == 1:
                attached = depends[0]
        if attached:
            by_model[attached].append(node)
    return by_model


def _test_name(test: dict[str, Any]) -> str:
    return test["test_metadata"].get("name", "")


def _test_column(test: dict[str, Any]) -> str:
    return _norm(test.get("column_name") or test["test_metadata"].get("kwargs", {}).get("column_name"))


# --------------------------------------------------------------------------------------- rules
def _check_location(
    model: dict[str, Any],
    layer: str | None,
    source_names: set[str | None],
    base_materializations: tuple[str, ...] = ("view",),
) -> list[str]:
    name, parts = model.get("name", ""), _parts(model)
    materialized = model.get("config", {}).get("materialized")
    label = _label(model)
    if layer is None:
        return [f"{label}: models live in models/staging, models/intermediate or models/marts"]

    if layer == "staging":
        if len(parts) == 4:
            source = parts[2]
            problems = []
            if not re.fullmatch(rf"stg_{re.escape(source)}__{ENTITY}", name):
                problems.append(f"{label}: a staging model in models/staging/{source}/ is named "
                                f"stg_{source}__<entity>")
            if source_names and source not in source_names:
                problems.append(f"{label}: staging folder '{source}' is not the name of a declared source")
            if materialized not in STAGING_MATERIALIZATIONS:
                problems.append(f"{label}: staging models are {_plural(STAGING_MATERIALIZATIONS)} "
                                f"(materialized: {materialized})")
            return problems
        if len(parts) == 5 and parts[3] == "base":
            source = parts[2]
            problems = []
            if not re.fullmatch(rf"base_{re.escape(source)}__{ENTITY}", name):
                problems.append(f"{label}: a base model in models/staging/{source}/base/ is named "
                                f"base_{source}__<entity>")
            if materialized not in base_materializations:
                problems.append(f"{label}: base models are {_plural(base_materializations)} "
                                f"(materialized: {materialized})")
            return problems
        return [f"{label}: staging models live in models/staging/<source>/ (base models in .../<source>/base/)"]

    if layer == "intermediate":
        problems = []
        if len(parts) != 4:
            problems.append(f"{label}: intermediate models live in models/intermediate/<domain>/")
        if not re.fullmatch(rf"int_{ENTITY}", name):
            problems.append(f"{label}: intermediate models are named int_<entities>_<verb>")
        return problems

    problems = []
    if len(parts) != 4:
        problems.append(f"{label}: marts live in models/marts/<domain>/")
    if not re.fullmatch(rf"(fct|dim)_{ENTITY}", name):
        problems.append(f"{label}: marts are named fct_<event or grain> or dim_<entity>")
    if materialized not in MART_MATERIALIZATIONS:
        problems.append(f"{label}: marts are materialized table or incremental (materialized: {materialized})")
    contract = model.get("config", {}).get("contract") or model.get("contract") or {}
    if not contract.get("enforced"):
        problems.append(f"{label}: marts have an enforced contract (contract: {{enforced: true}})")
    return problems


def _check_incremental_config(model: dict[str, Any]) -> list[str]:
    config = model.get("config", {})
    if config.get("materialized") != "incremental":
        return []
    label, problems = _label(model), []
    for setting in ("unique_key", "incremental_strategy"):
        if not config.get(setting):
            problems.append(f"{label}: an incremental model sets {setting} explicitly")
    if config.get("on_schema_change") in (None, "ignore"):
        problems.append(f"{label}: an incremental model sets on_schema_change (fail, append_new_columns "
                        "or sync_all_columns), never dbt's silent default ignore")
    return problems


def _check_documentation(model: dict[str, Any]) -> list[str]:
    label, problems = _label(model), []
    if not (model.get("description") or "").strip():
        problems.append(f"{label}: the model has no description")
    columns = model.get("columns") or {}
    if not columns:
        problems.append(f"{label}: the model's YAML documents no columns")
    for column_name, column in columns.items():
        if not (column.get("description") or "").strip():
            problems.append(f"{label}: column '{column_name}' has no description")
    directory = PurePosixPath(model.get("original_file_path", "")).parent
    expected = directory / f"_{directory.name}__models.yml"
    patch_path = model.get("patch_path")
    if not patch_path:
        problems.append(f"{label}: the model has no YAML entry (expected in {expected})")
    elif PurePosixPath(patch_path.split("://", 1)[-1]) != expected:
        problems.append(f"{label}: the model's YAML is in {patch_path.split('://', 1)[-1]}, "
                        f"expected {expected}")
    return problems


def _check_primary_key(
    model: dict[str, Any], layer: str | None, tests: list[dict[str, Any]]
) -> tuple[str | None, list[str]]:
    """Return the single-column primary key (if any) and the violations."""
    unique = {_test_column(t) for t in tests if _test_name(t) == "unique"}
    not_null = {_test_column(t) for t in tests if _test_name(t) == "not_null"}
    single = sorted((unique & not_null) - {""})
    if single:
        return single[0], []
    combinations = [
        [_norm(c) for c in t["test_metadata"].get("kwargs", {}).get("combination_of_columns") or []]
        for t in tests
        if _test_name(t) == "unique_combination_of_columns"
    ]
    if any(combo and set(combo) <= not_null for combo in combinations):
        return None, []
    is_base = layer == "staging" and len(_parts(model)) == 5 and _parts(model)[3] == "base"
    if is_base or _reason(model, "pk_exempt"):
        return None, []
    label = _label(model)
    if combinations:
        missing = sorted({c for combo in combinations for c in combo} - not_null)
        return None, [f"{label}: unique_combination_of_columns key columns lack not_null: {', '.join(missing)}"]
    if unique - not_null:
        return None, [f"{label}: unique column(s) {', '.join(sorted(unique - not_null))} also need not_null "
                      f"to be a primary key"]
    return None, [f"{label}: no primary key test (unique + not_null on one column, or "
                  f"unique_combination_of_columns with not_null on each column)"]


def _check_foreign_keys(
    model: dict[str, Any], tests: list[dict[str, Any]], primary_key: str | None
) -> list[str]:
    related = {_test_column(t) for t in tests if _test_name(t).startswith("relationships")}
    problems = []
    for column_name, column in (model.get("columns") or {}).items():
        key = _norm(column_name)
        if not key.endswith("_id") or key == primary_key or key in related:
            continue
        if _reason(column, "fk_exempt"):
            continue
        problems.append(f"{_label(model)}: foreign key '{column_name}' has no relationships test "
                        f"(or meta fk_exempt with a reason)")
    return problems


def _check_import_ctes(model: dict[str, Any], scanned: set[str]) -> list[str]:
    code = model.get("raw_code") or ""
    violations = []
    for cte, ref in _IMPORT_CTE.findall(code):
        reads = len(re.findall(rf"\b(?:from|join)\s+{re.escape(cte)}\b", code, re.IGNORECASE))
        if ref in scanned and reads >= 2:
            violations.append(
                f"{_label(model)}: import CTE '{cte}' of {ref} is read {reads} times: write "
                f"'{cte} as {{{{ not_materialized() }}}} (' so DuckDB scans {ref} instead of copying it whole")
    return violations


def _check_freshness(source: dict[str, Any]) -> list[str]:
    if _reason(source, "freshness_exempt"):
        return []
    label = f"source {source.get('source_name')}.{source.get('name')} ({source.get('original_file_path')})"
    config = source.get("config") or {}
    problems = []
    if not (source.get("loaded_at_field") or config.get("loaded_at_field")):
        problems.append(f"{label}: no loaded_at_field")
    freshness = source.get("freshness") or config.get("freshness") or {}
    rules = [freshness.get(k) or {} for k in ("warn_after", "error_after")]
    if not any(r.get("count") is not None and r.get("period") for r in rules):
        problems.append(f"{label}: no freshness rule (warn_after or error_after with count and period)")
    return problems
