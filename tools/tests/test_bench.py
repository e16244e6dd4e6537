"""The benchmark's own arithmetic: the lower bound copies every raw table, and the ratios it prints."""
from __future__ import annotations

from pathlib import Path

import duckdb

from revops_tools.bench import ScaleResult, build_growth, lower_bound, reset_to_raw, time_by_kind, to_markdown
from revops_tools.generator import generate


def test_lower_bound_copies_every_raw_table_and_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "bench.duckdb"
    generate(str(path), scale=0.02, seed=5, progress=False)
    con = duckdb.connect(str(path), read_only=True)
    tables = con.execute(
        "select schema_name, table_name from duckdb_tables() where schema_name like 'raw_%'"
    ).fetchall()
    expected_rows = sum(con.execute(f'select count(*) from {s}."{t}"').fetchone()[0] for s, t in tables)
    con.close()
    assert len(tables) == 43
    seconds, rows, size = lower_bound(str(path))
    assert seconds > 0 and rows == expected_rows and size == path.stat().st_size
    con = duckdb.connect(str(path), read_only=True)
    left = con.execute("select count(*) from duckdb_schemas() where schema_name = 'bench_lower_bound'").fetchone()
    con.close()
    assert left == (0,)


def test_ratios_are_data_time_over_lower_bound_and_empty_build_per_node() -> None:
    result = ScaleResult(scale=10, seed=1, lower_bound_seconds=2.0, build_seconds=30.0, empty_build_seconds=10.0,
                         nodes=500, raw_bytes=2**20, warehouse_bytes=2**20, build_success=True)
    # (30 - 10) / 2 = 10x; 10 s / 500 nodes = 20 ms per node.
    assert result.data_over_lower_bound == 10.0 and result.overhead_ms_per_node == 20.0
    row = [line for line in to_markdown([result], "test machine").splitlines() if line.startswith("| 10 |")][0]
    assert "| 10.0x | 20 |" in row


def test_incremental_share_and_the_targets_verdicts() -> None:
    result = ScaleResult(scale=10, seed=1, lower_bound_seconds=2.0, build_seconds=400.0, empty_build_seconds=40.0,
                         nodes=1000, incremental_build_seconds=30.0, build_success=True)
    # (400 - 40) / 2 = 180x (missed); 40 ms per node (missed); 30 / 400 = 7.5% (missed)
    assert result.incremental_share == 0.075
    markdown = to_markdown([result], "test machine")
    assert "data time / lower bound: 180.0x (target <= 10x): MISSED" in markdown
    assert "overhead per node: 40.0 ms (target <= 30 ms): MISSED" in markdown
    assert "incremental build / full build: 7.5% (target <= 5%): MISSED" in markdown
    met = ScaleResult(scale=10, seed=1, lower_bound_seconds=10.0, build_seconds=120.0, empty_build_seconds=20.0,
                      nodes=1000, incremental_build_seconds=6.0, build_success=True)
    markdown = to_markdown([met], "test machine")
    assert markdown.count(": met") == 3 and "MISSED" not in markdown


def test_time_by_kind_tells_tests_on_views_from_tests_on_tables() -> None:
    manifest = {"nodes": {
        "model.p.v": {"fqn": ["p", "intermediate", "v"], "config": {"materialized": "view"}},
        "model.p.t": {"fqn": ["p", "marts", "t"], "config": {"materialized": "table"}},
        "test.p.on_v": {"depends_on": {"nodes": ["model.p.v"]}},
        "test.p.on_t": {"depends_on": {"nodes": ["model.p.t"]}},
    }, "unit_tests": {"unit_test.p.t.u": {}}}
    run_results = {"results": [
        {"unique_id": "model.p.v", "execution_time": 0.1},
        {"unique_id": "model.p.t", "execution_time": 2.0},
        {"unique_id": "test.p.on_v", "execution_time": 3.0},
        {"unique_id": "test.p.on_t", "execution_time": 0.5},
        {"unique_id": "unit_test.p.t.u", "execution_time": 0.25},
    ]}
    kinds = time_by_kind(run_results, manifest)
    assert kinds == {
        "data test on a view": {"nodes": 1, "seconds": 3.0},
        "model: table in marts": {"nodes": 1, "seconds": 2.0},
        "data test on a table": {"nodes": 1, "seconds": 0.5},
        "unit test": {"nodes": 1, "seconds": 0.25},
        "model: view in intermediate": {"nodes": 1, "seconds": 0.1},
    }
    assert list(kinds)[0] == "data test on a view"


def test_build_growth_compares_scales_ten_times_apart_and_skipped_cycles_say_so() -> None:
    small = ScaleResult(scale=10, seed=1, lower_bound_seconds=10.0, build_seconds=300.0, empty_build_seconds=50.0,
                        nodes=1000, incremental_build_seconds=12.0, build_success=True,
                        incremental_build_success=True)
    large = ScaleResult(scale=100, seed=1, lower_bound_seconds=100.0, build_seconds=3300.0, empty_build_seconds=50.0,
                        nodes=1000, build_success=True, incremental_skipped=True)
    unrelated = ScaleResult(scale=1, seed=1, lower_bound_seconds=1.0, build_seconds=80.0, build_success=True)
    # 10 -> 100: 3300 / 300 = 11x (missed); scale 1 -> 10 is a tenfold pair too: 300 / 80 = 3.75x (met)
    assert build_growth([small, large, unrelated]) == [(10, 100, 11.0), (1, 10, 3.75)]
    markdown = to_markdown([unrelated, small, large], "test machine")
    assert "build time from scale 10 to scale 100: 11.0x (target <= 10x): MISSED" in markdown
    assert "build time from scale 1 to scale 10: 3.8x (target <= 10x): met" in markdown
    assert "| 100 | skipped |" in markdown
    # the floor of an incremental build of every node: the empty build's share, 50 / 300 and 50 / 3300
    assert small.incremental_floor == 50 / 300
    assert "| 12.0 | 4.0% | 16.7% | 0.0% | True |" in markdown and "| 1.5% | | |" in markdown
    assert "scale 100, incremental build / full build: n/a" in markdown


def test_incremental_data_share_leaves_out_dbt_overhead_and_the_slowest_incremental_nodes_are_listed() -> None:
    result = ScaleResult(scale=10, seed=1, lower_bound_seconds=10.0, build_seconds=300.0, empty_build_seconds=50.0,
                         nodes=1000, incremental_build_seconds=75.0, build_success=True,
                         incremental_build_success=True,
                         incremental_slowest_nodes=[{"node": "model.p.sessions", "seconds": 9.5}],
                         incremental_time_by_kind={"model: table in intermediate": {"nodes": 3, "seconds": 12.0}})
    # (75 - 50) / (300 - 50) = 10% of the full build's data time; 75 / 300 = 25% of its wall time
    assert result.incremental_data_share == 0.1 and result.incremental_share == 0.25
    markdown = to_markdown([result], "test machine")
    assert "| 75.0 | 25.0% | 16.7% | 10.0% | True |" in markdown
    incremental_part = markdown[markdown.index("Slowest nodes of the incremental build at scale 10"):]
    assert "| model.p.sessions | 9.5 |" in incremental_part
    assert "| model: table in intermediate | 3 | 12.0 |" in markdown[markdown.index("incremental build's time"):]
    # no empty build measured: no share to give
    unmeasured = ScaleResult(scale=1, seed=1, build_seconds=10.0, incremental_build_seconds=5.0)
    assert unmeasured.incremental_data_share is None


def test_a_reused_warehouse_keeps_only_its_raw_data_and_says_it_was_not_generated(tmp_path: Path) -> None:
    path = tmp_path / "built.duckdb"
    generate(str(path), scale=0.02, seed=6, progress=False)
    con = duckdb.connect(str(path))
    raw_before = con.execute("select count(*) from raw_stripe.charge").fetchone()[0]
    con.execute("create schema marts; create table marts.fct_mrr as select 1 as mrr")
    con.execute("create schema staging; create view staging.stg_x as select 1 as x")
    con.close()
    assert reset_to_raw(str(path)) == (0.02, 6)
    con = duckdb.connect(str(path), read_only=True)
    schemas = {name for (name,) in con.execute(
        "select schema_name from duckdb_schemas() "
        "where database_name = current_database() and not internal").fetchall()}
    raw_after = con.execute("select count(*) from raw_stripe.charge").fetchone()[0]
    con.close()
    assert "marts" not in schemas and "staging" not in schemas
    assert {"raw_stripe", "raw_web", "truth"} <= schemas and raw_after == raw_before > 0
    reused = ScaleResult(scale=0.02, seed=6, build_seconds=1.0, reused_warehouse=str(path))
    assert "| 0.02 | reused |" in to_markdown([reused], "test machine")
