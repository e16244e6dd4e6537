"""The Spark target: the raw tables as Parquet files that Spark reads as tables, and the checks a
Spark build needs (Java, pyspark).

`revops export-parquet` writes every raw_* table of a generated DuckDB file to Parquet, one folder per
table: <out>/<schema>/<table>/data.parquet. The default <out> sits beside the DuckDB file
(warehouse.duckdb -> warehouse.raw_parquet), the folder macros/cross_db/spark_raw_tables.sql reads
when it registers the tables in Spark (on every dbt invocation on Spark, or `dbt run-operation
register_raw_tables`).
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import duckdb

PARQUET_SUFFIX = ".raw_parquet"


def default_parquet_dir(duckdb_path: str | Path) -> Path:
    """The folder beside the DuckDB file: /x/warehouse.duckdb -> /x/warehouse.raw_parquet (absolute)."""
    path = Path(duckdb_path).absolute()
    return path.with_name(path.stem + PARQUET_SUFFIX)


def export_parquet(
    duckdb_path: str | Path,
    out_dir: str | Path | None = None,
    include_truth: bool = False,
    progress: bool = True,
) -> dict[str, int]:
    """Replaces <out>/<schema>/<table>/data.parquet for every raw_* table (and `truth` when asked).

    DuckDB's own COPY writes the files, so column types are the DuckDB file's (TIMESTAMP as a
    timestamp without time zone, which Spark reads in its session time zone, UTC). Folders of tables
    the DuckDB file no longer has are left alone. Returns rows per table.
    """
    out = Path(out_dir).absolute() if out_dir else default_parquet_dir(duckdb_path)
    source = duckdb.connect(str(duckdb_path), read_only=True)
    counts: dict[str, int] = {}
    try:
        tables = source.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema like 'raw\\_%' escape '\\' or (? and table_schema = 'truth') "
            "order by 1, 2",
            [include_truth],
        ).fetchall()
        if not tables:
            raise ValueError(f"{duckdb_path} holds no raw_* schema: run `revops generate` first")
        for schema, table in tables:
            folder = out / schema / table
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
            target = str(folder / "data.parquet").replace("'", "''")
            source.execute(f'copy (select * from "{schema}"."{table}") to \'{target}\' (format parquet)')
            (rows,) = source.execute(f'select count(*) from "{schema}"."{table}"').fetchone()
            counts[f"{schema}.{table}"] = int(rows)
            if progress:
                print(f"  {schema}.{table}: {rows:,} rows")
    finally:
        source.close()
    if progress:
        print(f"{len(counts)} tables written to {out}")
    return counts


def java_version() -> str | None:
    """The first line of `java -version`, or None when there is no working Java."""
    java = shutil.which("java")
    if java is None:
        return None
    try:
        result = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    lines = (result.stderr or result.stdout).strip().splitlines()
    return lines[0] if lines else None


def missing_requirements() -> list[str]:
    """What a Spark build lacks here: Java, pyspark, dbt-spark (empty when all are there)."""
    missing = []
    if java_version() is None:
        missing.append("Java (tools/system-packages.txt installs openjdk-17-jre-headless: make system-deps)")
    for module, package in (("pyspark", "pyspark"), ("dbt.adapters.spark", "dbt-spark[session]")):
        try:
            __import__(module)
        except ImportError:
            missing.append(f"{package} (pip install -r requirements.txt)")
    return missing


class SparkEngine:
    """A Spark session as an engine of revops_tools.compare (query, tables, columns, relation, key_text).

    compare writes SQL with double-quoted identifiers and `double precision`, as DuckDB and Postgres
    read them. The engine runs it in its own session of the same Spark (new_session shares the
    catalog, not the settings) in ANSI mode with double-quoted identifiers, and spells
    `double precision` as Spark's `double`.
    """

    def __init__(self, spark_session, name: str = "spark"):
        self.session = spark_session.newSession()
        self.session.conf.set("spark.sql.ansi.enabled", "true")
        self.session.conf.set("spark.sql.ansi.doubleQuotedIdentifiers", "true")
        self.session.conf.set("spark.sql.session.timeZone", "UTC")
        self.name = name

    def query(self, sql: str) -> list[tuple]:
        sql = sql.replace(" as double precision)", " as double)")
        return [tuple(row) for row in self.session.sql(sql).collect()]

    def tables(self, schema: str) -> list[str]:
        rows = self.session.sql(f"show tables in `{schema}`").collect()
        return sorted(row["tableName"] for row in rows if not row["isTemporary"])

    def columns(self, schema: str, table: str) -> list[tuple[str, str]]:
        from revops_tools.compare import column_kind

        fields = self.session.table(f"`{schema}`.`{table}`").schema.fields
        return [(field.name, column_kind(field.dataType.simpleString())) for field in fields]

    def relation(self, schema: str, table: str) -> str:
        return f"`{schema}`.`{table}`"

    def key_text(self, column: str) -> str:
        return f"cast(`{column}` as string)"
