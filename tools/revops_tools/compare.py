"""Compares the marts that two engines built from the same raw data (DuckDB against Postgres, later Spark).

For every table of the marts schema present on either side it checks:
- the same tables and the same column names;
- the same row count;
- the same set of primary keys (the model's key columns, from dbt's manifest: its `unique` or
  `unique_combination_of_columns` test), compared as text;
- per column: the same count of non-null values; for numeric columns the same sum, to the cent (within
  0.005) for money and integers, and for floating-point columns (rates, averages) to 1e-6 relative; for
  boolean columns the same count of true values.

An engine is anything with `query(sql) -> list[tuple]` and `columns(schema, table) -> [(name, kind)]`,
kind one of "integer", "decimal", "float", "boolean", "other": `DuckDBEngine` and `PostgresEngine`
below; a Spark engine only needs those two methods. `compare_marts` returns a list of differences,
empty when the two builds agree.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Protocol

__all__ = [
    "CompareReport",
    "DuckDBEngine",
    "Engine",
    "PostgresEngine",
    "column_kind",
    "compare_marts",
    "primary_keys_from_manifest",
]

CENT = Decimal("0.005")
FLOAT_RELATIVE = 1e-6


class Engine(Protocol):
    name: str

    def query(self, sql: str) -> list[tuple]: ...

    def columns(self, schema: str, table: str) -> list[tuple[str, str]]: ...

    def tables(self, schema: str) -> list[str]: ...


def column_kind(data_type: str) -> str:
    """Our coarse kind of an engine's column type name (DuckDB, Postgres or Spark spelling)."""
    kind = data_type.lower()
    if kind in ("bigint", "integer", "int", "smallint", "tinyint", "hugeint", "int4", "int8", "long", "short"):
        return "integer"
    if kind.startswith(("decimal", "numeric")):
        return "decimal"
    if kind in ("double", "double precision", "float", "real", "float4", "float8"):
        return "float"
    if kind in ("boolean", "bool"):
        return "boolean"
    return "other"


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


class _InformationSchemaEngine:
    name = "engine"

    def query(self, sql: str) -> list[tuple]:  # pragma: no cover - implemented by subclasses
        raise NotImplementedError

    def tables(self, schema: str) -> list[str]:
        rows = self.query(
            "select table_name from information_schema.tables "
            f"where table_schema = '{schema}' and table_type in ('BASE TABLE', 'VIEW') order by 1"
        )
        return [row[0] for row in rows]

    def columns(self, schema: str, table: str) -> list[tuple[str, str]]:
        rows = self.query(
            "select column_name, data_type from information_schema.columns "
            f"where table_schema = '{schema}' and table_name = '{table}' order by ordinal_position"
        )
        return [(name, column_kind(data_type)) for name, data_type in rows]

    def relation(self, schema: str, table: str) -> str:
        return f"{_quote(schema)}.{_quote(table)}"

    def key_text(self, column: str) -> str:
        return f"cast({_quote(column)} as varchar)"


class DuckDBEngine(_InformationSchemaEngine):
    def __init__(self, connection, name: str = "duckdb"):
        self.connection = connection
        self.name = name

    def query(self, sql: str) -> list[tuple]:
        return self.connection.execute(sql).fetchall()


class PostgresEngine(_InformationSchemaEngine):
    def __init__(self, connection, name: str = "postgres"):
        self.connection = connection
        self.name = name

    def query(self, sql: str) -> list[tuple]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    def key_text(self, column: str) -> str:
        return f"cast({_quote(column)} as text)"


def primary_keys_from_manifest(manifest: dict | str | Path) -> dict[str, list[str]]:
    """Model name -> its key columns, from the `unique` (one column) or `unique_combination_of_columns`
    test attached to it. Every model of this project has one (the structure check enforces it)."""
    if not isinstance(manifest, dict):
        manifest = json.loads(Path(manifest).read_text())
    nodes = manifest["nodes"]
    keys: dict[str, list[str]] = {}
    for node in nodes.values():
        if node.get("resource_type") != "test" or not node.get("attached_node"):
            continue
        model = nodes.get(node["attached_node"])
        if model is None:
            continue
        metadata = node.get("test_metadata") or {}
        kwargs = metadata.get("kwargs") or {}
        if metadata.get("name") == "unique" and node.get("column_name"):
            keys.setdefault(model["name"], [node["column_name"]])
        elif metadata.get("name") == "unique_combination_of_columns":
            columns = kwargs.get("combination_of_columns")
            if columns:
                keys[model["name"]] = list(columns)
    return keys


@dataclass
class CompareReport:
    tables: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    checks: int = 0
    differences: list[str] = field(default_factory=list)


def _numbers_equal(kind: str, left, right) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if kind == "float":
        left, right = float(left), float(right)
        return abs(left - right) <= FLOAT_RELATIVE * max(1.0, abs(left), abs(right))
    return abs(Decimal(str(left)) - Decimal(str(right))) <= CENT


def _profile(engine, schema: str, table: str, columns: list[tuple[str, str]]) -> dict[str, object]:
    """Row count, and per column its non-null count and its sum (numbers) or true count (booleans)."""
    expressions = ["count(*)"]
    for name, kind in columns:
        quoted = _quote(name)
        expressions.append(f"count({quoted})")
        if kind in ("integer", "decimal"):
            expressions.append(f"sum(cast({quoted} as decimal(38, 6)))")
        elif kind == "float":
            expressions.append(f"sum(cast({quoted} as double precision))")
        elif kind == "boolean":
            expressions.append(f"sum(case when {quoted} then 1 else 0 end)")
    (values,) = engine.query(f"select {', '.join(expressions)} from {engine.relation(schema, table)}")
    profile: dict[str, object] = {"rows": values[0]}
    position = 1
    for name, kind in columns:
        profile[f"{name}:count"] = values[position]
        position += 1
        if kind != "other":
            profile[f"{name}:sum"] = values[position]
            position += 1
    return profile


def _keys(engine, schema: str, table: str, key_columns: list[str]) -> set[tuple]:
    select = ", ".join(engine.key_text(column) for column in key_columns)
    return set(engine.query(f"select {select} from {engine.relation(schema, table)}"))


def compare_marts(
    left: Engine,
    right: Engine,
    primary_keys: dict[str, list[str]],
    schema: str = "marts",
    left_schema: str | None = None,
    right_schema: str | None = None,
    tables: list[str] | None = None,
    max_key_examples: int = 5,
) -> CompareReport:
    """Every difference between the marts of two engines (see the module docstring)."""
    left_schema = left_schema or schema
    right_schema = right_schema or schema
    report = CompareReport()
    left_tables, right_tables = set(left.tables(left_schema)), set(right.tables(right_schema))
    names = sorted(tables) if tables is not None else sorted(left_tables | right_tables)
    for table in names:
        missing = [engine.name for engine, found in ((left, left_tables), (right, right_tables)) if table not in found]
        if missing:
            report.differences.append(f"{table}: missing on {', '.join(missing)}")
            continue
        report.tables.append(table)
        left_columns, right_columns = left.columns(left_schema, table), right.columns(right_schema, table)
        if [name for name, _ in left_columns] != [name for name, _ in right_columns]:
            report.differences.append(
                f"{table}: columns differ: {left.name} {[n for n, _ in left_columns]} "
                f"vs {right.name} {[n for n, _ in right_columns]}"
            )
            continue
        # A column is numeric for the comparison when it is numeric on both engines (the kinds may
        # differ legitimately: DuckDB's hugeint against Postgres numeric).
        kinds = []
        for (name, left_kind), (_, right_kind) in zip(left_columns, right_columns):
            if left_kind == right_kind:
                kinds.append((name, left_kind))
            elif {left_kind, right_kind} <= {"integer", "decimal"}:
                kinds.append((name, "decimal"))
            elif {left_kind, right_kind} <= {"integer", "decimal", "float"}:
                kinds.append((name, "float"))
            else:
                report.differences.append(
                    f"{table}.{name}: kind {left_kind} on {left.name}, {right_kind} on {right.name}"
                )
                kinds.append((name, "other"))
        left_profile = _profile(left, left_schema, table, kinds)
        right_profile = _profile(right, right_schema, table, kinds)
        report.rows[table] = int(left_profile["rows"])
        for measure, left_value in left_profile.items():
            right_value = right_profile[measure]
            report.checks += 1
            column, _, what = measure.partition(":")
            kind = dict(kinds).get(column, "integer")
            if what in ("", "count") or kind == "boolean":
                equal = left_value == right_value
            else:
                equal = _numbers_equal(kind, left_value, right_value)
            if not equal:
                report.differences.append(
                    f"{table}: {measure} is {left_value} on {left.name}, {right_value} on {right.name}"
                )
        key_columns = primary_keys.get(table)
        if not key_columns:
            report.differences.append(f"{table}: no primary key known (no unique test in the manifest)")
            continue
        left_keys = _keys(left, left_schema, table, key_columns)
        right_keys = _keys(right, right_schema, table, key_columns)
        report.checks += 1
        if left_keys != right_keys:
            only_left = sorted(left_keys - right_keys, key=str)[:max_key_examples]
            only_right = sorted(right_keys - left_keys, key=str)[:max_key_examples]
            report.differences.append(
                f"{table}: key sets differ on {key_columns}: {len(left_keys - right_keys)} only on {left.name} "
                f"(e.g. {only_left}), {len(right_keys - left_keys)} only on {right.name} (e.g. {only_right})"
            )
    return report
