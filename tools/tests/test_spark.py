"""The warehouse on Apache Spark equals the warehouse on DuckDB, built from the same raw data.

One small dataset of its own (SPARK_TEST_SCALE, default 0.02, seed 42) is generated into DuckDB and
exported to Parquet (`revops export-parquet`); dbt builds the same selection once on DuckDB and once
on Spark (dbt-spark's session method: Spark in this process, local mode, its metastore in a
temporary folder). Every mart built is then compared with revops_tools.compare: the same columns,
equal row counts, equal key sets, every numeric column's sum equal to the cent (floats to 1e-6
relative), equal null and true counts.

What it builds (SPARK_TEST_SELECT, default `all`: seeds and every model, every mart compared). A
Spark build costs seconds per node whatever the data size (every statement is a Spark job plus
metastore calls): measured on the 2-core machine, the whole test took 3.7 minutes with the machine
otherwise quiet (DuckDB 33 s, Spark 175 s), but a Spark `dbt run` of every model took 12 minutes
while five other builds ran. On a busy machine SPARK_TEST_SELECT=default builds only the marts of
DEFAULT_MARTS and their upstream (71 of the 191 models; 3.3 minutes quiet, 11 busy): identity
resolution (dim_customer_identities, which exercises the Damerau-Levenshtein name similarity),
bookings, ad spend, email engagement, quotes and contact success, leaving out the revenue (MRR),
finance, funnel, most sales, marketing attribution and channel, data-quality and scorecard marts and
dim_customers. Any other value is a dbt selection. SPARK_TEST_BUILD=build also runs the selection's
data and unit tests on Spark (default `run`: models only; `make build TARGET=spark` runs them).

Skipped, with the reason, when Java, pyspark or dbt-spark is missing, unless REQUIRE_SPARK is set
(then missing pieces fail the test).
"""
from __future__ import annotations

import os
import random
import shutil
import time

import duckdb
import pytest
from conftest import REPO, run_dbt

from revops_tools.compare import DuckDBEngine, compare_marts, primary_keys_from_manifest
from revops_tools.spark import SparkEngine, default_parquet_dir, export_parquet, missing_requirements

SCALE = float(os.environ.get("SPARK_TEST_SCALE", "0.02"))
SEED = 42
BUILD = os.environ.get("SPARK_TEST_BUILD", "run")
DEFAULT_MARTS = [
    "dim_customer_identities",
    "fct_bookings",
    "fct_ad_spend_daily",
    "fct_email_engagement_monthly",
    "fct_quotes_monthly",
    "fct_contact_success_monthly",
]
SELECT = os.environ.get("SPARK_TEST_SELECT", "all").strip()


def _selection_args() -> list[str]:
    if SELECT == "all":
        return []
    if SELECT == "default":
        return ["--select", *(f"+{name}" for name in DEFAULT_MARTS)]
    return ["--select", *SELECT.split()]


def _failures(result) -> list[str]:
    return [
        f"{r.node.unique_id}: {r.status} {r.message}"
        for r in (result.result or [])
        if str(r.status) in ("error", "fail", "runtime error")
    ]


def _require_spark() -> None:
    missing = missing_requirements()
    if not missing:
        return
    reason = "the Spark target needs " + "; ".join(missing)
    if os.environ.get("REQUIRE_SPARK"):
        pytest.fail(reason + " (REQUIRE_SPARK is set)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    """(DuckDB file, DuckDB target dir, Spark session, timings) after both builds of one dataset."""
    _require_spark()
    from revops_tools.generator import generate

    root = tmp_path_factory.mktemp("spark")
    raw = root / "raw.duckdb"
    generate(str(raw), scale=SCALE, seed=SEED, progress=False)
    export_parquet(raw, progress=False)
    duck = root / "duckdb_build.duckdb"
    shutil.copy(raw, duck)
    timings: dict[str, float] = {}

    started = time.monotonic()
    duck_target = root / "duckdb_target"
    for args in (["seed", "--full-refresh"], ["run", *_selection_args()]):
        result = run_dbt(args, duck, duck_target)
        assert result.success, f"dbt {args[0]} on DuckDB failed:\n" + "\n".join(_failures(result))
    timings["duckdb"] = time.monotonic() - started

    # Spark reads its state folder when its JVM starts (the first dbt call below); the raw tables are
    # read from the Parquet folder beside the file run_dbt names as WAREHOUSE_PATH.
    os.environ["SPARK_STATE_DIR"] = str(root / "spark_state")
    os.environ.pop("RAW_PARQUET_DIR", None)
    started = time.monotonic()
    spark_target = root / "spark_target"
    for args in (["seed", "--full-refresh"], [BUILD, *_selection_args()]):
        result = run_dbt([*args, "--target", "spark"], raw, spark_target)
        assert result.success, f"dbt {args[0]} on Spark failed:\n" + "\n".join(_failures(result))
    timings["spark"] = time.monotonic() - started

    from pyspark.sql import SparkSession

    session = SparkSession.builder.getOrCreate()
    yield duck, duck_target, session, timings, raw
    session.stop()


def test_raw_parquet_holds_every_raw_table(two_builds):
    """Every raw table reached Spark with all its rows."""
    _, _, session, _, raw = two_builds
    con = duckdb.connect(str(raw), read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema like 'raw\\_%' escape '\\'"
        ).fetchall()
        assert tables
        for schema, table in tables:
            (expected,) = con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()
            assert (default_parquet_dir(raw) / schema / table / "data.parquet").exists()
            assert session.table(f"{schema}.{table}").count() == expected, f"{schema}.{table}"
    finally:
        con.close()


def test_every_mart_built_equals_duckdb(two_builds):
    duck, duck_target, session, timings, _ = two_builds
    import json

    manifest = json.loads((duck_target / "manifest.json").read_text())
    all_marts = sorted(
        node["alias"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["original_file_path"].startswith("models/marts/")
    )
    con = duckdb.connect(str(duck), read_only=True)
    try:
        duck_engine = DuckDBEngine(con)
        built = duck_engine.tables("marts")
        if SELECT == "all":
            assert built == all_marts
        elif SELECT == "default":
            assert built == sorted(DEFAULT_MARTS)
        assert built, "the selection builds no mart"
        report = compare_marts(duck_engine, SparkEngine(session), primary_keys_from_manifest(manifest), tables=built)
    finally:
        con.close()
    print(f"builds (s): {timings}; compared {len(report.tables)} marts, {sum(report.rows.values())} rows, "
          f"{report.checks} checks")
    assert report.tables == built
    assert sum(report.rows.values()) > 0
    assert report.differences == [], "\n".join(report.differences)


def _random_name_pairs(count: int, seed: int) -> list[tuple[str | None, str | None]]:
    """Pairs of short strings, most of them one string and a few edits of it (swaps of neighbours,
    insertions, deletions, replacements), over an alphabet with a space and a two-byte letter."""
    rng = random.Random(seed)
    alphabet = list("abcde é")
    pairs: list[tuple[str | None, str | None]] = [("", ""), ("", "abc"), ("ca", "abc"), (None, "x"), ("x", None)]
    for _ in range(count):
        left = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9)))
        right = list(left)
        for _ in range(rng.randint(0, 3)):
            edit = rng.randint(0, 3)
            if edit == 0 and len(right) > 1:
                at = rng.randrange(len(right) - 1)
                right[at], right[at + 1] = right[at + 1], right[at]
            elif edit == 1:
                right.insert(rng.randint(0, len(right)), rng.choice(alphabet))
            elif edit == 2 and right:
                right.pop(rng.randrange(len(right)))
            elif right:
                right[rng.randrange(len(right))] = rng.choice(alphabet)
        pairs.append((left, "".join(right)))
    return pairs


def test_spark_damerau_levenshtein_equals_duckdb(two_builds):
    """The Spark expression behind name_similarity gives DuckDB's damerau_levenshtein on every pair."""
    import jinja2

    _, _, session, _, _ = two_builds
    source = (REPO / "macros" / "cross_db" / "spark_damerau_levenshtein.sql").read_text()
    expression = str(jinja2.Environment().from_string(source).module.spark_damerau_levenshtein("l", "r"))
    pairs = _random_name_pairs(400, seed=3)
    rows = [(position, left, right) for position, (left, right) in enumerate(pairs)]
    con = duckdb.connect()
    con.execute("create table pairs (id integer, l varchar, r varchar)")
    con.executemany("insert into pairs values (?, ?, ?)", rows)
    expected = dict(con.execute("select id, damerau_levenshtein(l, r) from pairs").fetchall())
    con.close()
    session.createDataFrame(rows, "id int, l string, r string").createOrReplaceTempView("name_pairs")
    got = {row[0]: row[1] for row in session.sql(f"select id, {expression} from name_pairs").collect()}
    differ = [(pairs[key], expected[key], got[key]) for key in expected if expected[key] != got[key]]
    # 'ca' -> 'abc' is a swap and an insertion: 2 unrestricted (the restricted variant, which may
    # not edit a swapped pair again, says 3; plain Levenshtein 3).
    assert pairs[2] == ("ca", "abc") and got[2] == 2
    assert differ == []
