"""Publish the marts into a separate DuckDB file that BI tools read while the next build runs.

DuckDB lets one process write a file and then nobody else may open it, so BI tools must not point at
the file dbt builds. After a build, `revops publish` copies every table of the `marts` schema (with
its table and column comments) into a new file beside the serving file, checkpoints it, and renames
it over the serving file. The rename is atomic: a reader that opens the serving file sees either the
previous build or the new one, never a half-written file, and a reader already connected keeps
reading the previous build until it reconnects (POSIX keeps the replaced file alive while it is open).
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

PUBLISHED_SCHEMAS = ("marts",)


@dataclass
class Publication:
    serving_path: Path
    tables: int
    rows: int
    as_of_date: str | None
    seconds: float


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def publish(build_path: str | Path, serving_path: str | Path) -> Publication:
    """Copies the marts of `build_path` into `serving_path`, replacing it atomically."""
    started = time.perf_counter()
    build_path, serving_path = Path(build_path).resolve(), Path(serving_path).resolve()
    if not build_path.exists():
        raise FileNotFoundError(f"{build_path} does not exist: run `make build` first")
    if build_path == serving_path:
        raise ValueError("the serving file must differ from the file dbt builds")
    staging_path = serving_path.with_name(f".{serving_path.name}.{os.getpid()}.publishing")
    for leftover in (staging_path, staging_path.with_name(staging_path.name + ".wal")):
        leftover.unlink(missing_ok=True)

    con = duckdb.connect(str(staging_path))
    try:
        # Attached under dbt's own name for it (the file's stem), so its views' qualified names resolve.
        build = _quote(build_path.stem)
        con.execute(f"attach {_literal(str(build_path))} as {build} (read_only)")
        tables = con.execute(
            """
            select schema_name, table_name, comment
            from duckdb_tables()
            where database_name = ? and schema_name in (select unnest(?))
            order by schema_name, table_name
            """,
            [build_path.stem, list(PUBLISHED_SCHEMAS)],
        ).fetchall()
        if not tables:
            raise RuntimeError(f"{build_path} has no tables in {', '.join(PUBLISHED_SCHEMAS)}: did dbt build run?")
        rows = 0
        for schema in sorted({schema for schema, _, _ in tables}):
            con.execute(f"create schema {_quote(schema)}")
        # Fully qualified: the new file's catalog may share a name with a schema (a file named marts.duckdb).
        serving = _quote(con.execute("select current_database()").fetchone()[0])
        for schema, table, comment in tables:
            source = f"{build}.{_quote(schema)}.{_quote(table)}"
            target = f"{serving}.{_quote(schema)}.{_quote(table)}"
            con.execute(f"create table {target} as select * from {source}")
            rows += con.execute(f"select count(*) from {target}").fetchone()[0]
            if comment:
                con.execute(f"comment on table {target} is {_literal(comment)}")
            columns = con.execute(
                """
                select column_name, comment from duckdb_columns()
                where database_name = ? and schema_name = ? and table_name = ? and comment is not null
                """,
                [build_path.stem, schema, table],
            ).fetchall()
            for column, column_comment in columns:
                con.execute(f"comment on column {target}.{_quote(column)} is {_literal(column_comment)}")
        as_of_date = _as_of_date(con, build_path.stem)
        con.execute("create schema meta")
        con.execute(
            """
            create table meta.publication as
            select ?::varchar as built_from, ?::date as as_of_date, ?::bigint as table_count,
                   ?::bigint as row_count, current_timestamp as published_at
            """,
            [str(build_path), as_of_date, len(tables), rows],
        )
        con.execute(f"detach {build}")
        con.execute("checkpoint")
    except BaseException:
        con.close()
        staging_path.unlink(missing_ok=True)
        raise
    con.close()
    os.replace(staging_path, serving_path)
    return Publication(serving_path, len(tables), rows, as_of_date, time.perf_counter() - started)


def _as_of_date(con: duckdb.DuckDBPyConnection, database: str) -> str | None:
    found = con.execute(
        "select 1 from duckdb_views() where database_name = ? and schema_name = 'intermediate' "
        "and view_name = 'int_as_of' union all "
        "select 1 from duckdb_tables() where database_name = ? and schema_name = 'intermediate' "
        "and table_name = 'int_as_of'",
        [database, database],
    ).fetchone()
    if found is None:
        return None
    try:
        value = con.execute(f"select as_of_date from {_quote(database)}.intermediate.int_as_of").fetchone()
    except duckdb.BinderException:  # a copied file: its views still name the catalog dbt built them in
        return None
    return str(value[0]) if value else None


def run_cli(build_path: str, serving_path: str) -> int:
    try:
        result = publish(build_path, serving_path)
    except (FileNotFoundError, RuntimeError, ValueError, duckdb.Error) as error:
        print(f"publish failed: {error}")
        return 1
    print(
        f"published {result.tables} tables ({result.rows:,} rows, as of {result.as_of_date}) "
        f"to {result.serving_path} in {result.seconds:.1f} s"
    )
    return 0
