"""The benchmark's own arithmetic: the lower bound copies every raw table, and the ratios it prints."""
from __future__ import annotations

from pathlib import Path

import duckdb

from revops_tools.bench import (
    ScaleResult,
    build_growth,
    dbt_threads_for,
    lower_bound,
    reset_to_raw,
    short_name,
    slowest_nodes,
    time_by_kind,
    to_markdown,
    unsuccessful_nodes,
    worker_threads,
)
from revops_tools.generator import generate

# a result whose three builds passed: its ratios are measurements
PASSED = {"build_success": True, "incremental_build_success": True, "empty_build_success": True}


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
    # build ok, then the empty build's own verdict (not run: False), then the seed
    assert row.endswith("| True | False | 1 |")


def test_incremental_share_and_the_targets_verdicts() -> None:
    result = ScaleResult(scale=10, seed=1, lower_bound_seconds=2.0, build_seconds=400.0, empty_build_seconds=40.0,
                         nodes=1000, incremental_build_seconds=30.0, **PASSED)
    # (400 - 40) / 2 = 180x (missed); 40 ms per node (missed); 30 / 400 = 7.5% (missed)
    assert result.incremental_share == 0.075
    markdown = to_markdown([result], "test machine")
    assert "data time / lower bound: 180.0x (target <= 10x): MISSED" in markdown
    assert "overhead per node: 40.0 ms (target <= 30 ms): MISSED" in markdown
    assert "incremental build / full build: 7.5% (target <= 5%): MISSED" in markdown
    met = ScaleResult(scale=10, seed=1, lower_bound_seconds=10.0, build_seconds=120.0, empty_build_seconds=20.0,
                      nodes=1000, incremental_build_seconds=6.0, **PASSED)
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
                        nodes=1000, incremental_build_seconds=12.0, **PASSED)
    large = ScaleResult(scale=100, seed=1, lower_bound_seconds=100.0, build_seconds=3300.0, empty_build_seconds=50.0,
                        nodes=1000, **PASSED, incremental_skipped=True)
    unrelated = ScaleResult(scale=1, seed=1, lower_bound_seconds=1.0, build_seconds=80.0, **PASSED)
    # 10 -> 100: 3300 / 300 = 11x (missed); scale 1 -> 10 is a tenfold pair too: 300 / 80 = 3.75x (met)
    assert build_growth([small, large, unrelated]) == [(10, 100, 11.0), (1, 10, 3.75)]
    markdown = to_markdown([unrelated, small, large], "test machine")
    assert "build time from scale 10 to scale 100: 11.0x (target <= 10x): MISSED" in markdown
    assert "build time from scale 1 to scale 10: 3.8x (target <= 10x): met" in markdown
    assert "| 100 | skipped |" in markdown
    # the floor of an incremental build of every node: the empty build's share, 50 / 300 and 50 / 3300
    assert small.incremental_floor == 50 / 300
    assert "| 12.0 | 4.0% | 16.7% | 0.0% | True |" in markdown and "| 1.5% | | |" in markdown
    assert "scale 100, incremental build / full build: n/a (target" in markdown


def test_incremental_data_share_leaves_out_dbt_overhead_and_the_slowest_incremental_nodes_are_listed() -> None:
    result = ScaleResult(scale=10, seed=1, lower_bound_seconds=10.0, build_seconds=300.0, empty_build_seconds=50.0,
                         nodes=1000, incremental_build_seconds=75.0, **PASSED,
                         incremental_slowest_nodes=[{"node": "model.p.sessions", "seconds": 9.5,
                                                     "kind": "model: table in intermediate"}],
                         incremental_time_by_kind={"model: table in intermediate": {"nodes": 3, "seconds": 12.0}})
    # (75 - 50) / (300 - 50) = 10% of the full build's data time; 75 / 300 = 25% of its wall time
    assert result.incremental_data_share == 0.1 and result.incremental_share == 0.25
    markdown = to_markdown([result], "test machine")
    assert "| 75.0 | 25.0% | 16.7% | 10.0% | True |" in markdown
    incremental_part = markdown[markdown.index("Slowest nodes of the incremental build at scale 10"):]
    assert "| model.p.sessions | model: table in intermediate | 9.5 |" in incremental_part
    assert "| model: table in intermediate | 3 | 12.0 |" in markdown[markdown.index("incremental build's time"):]
    # the scheduled build leaves the unit tests out: the overhead floor is the empty build's per node
    # (50 ms) times the nodes it ran, 900: 45 s; its data time (75 - 45) / 250 = 12%
    scheduled = ScaleResult(scale=10, seed=1, lower_bound_seconds=10.0, build_seconds=300.0, empty_build_seconds=50.0,
                            nodes=1000, incremental_nodes=900, incremental_build_seconds=75.0, **PASSED)
    assert scheduled.incremental_floor == 45.0 / 300 and scheduled.incremental_data_share == 30.0 / 250
    assert "runs 900 of the 1000 nodes (all but the unit tests)" in to_markdown([scheduled], "test machine")
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


def test_every_missed_target_says_which_nodes_cost_what_and_why() -> None:
    slow = [{"node": "model.p.sessions", "seconds": 40.0, "kind": "model: table in intermediate"},
            {"node": "test.p.unique_sessions_id.0123456789", "seconds": 5.0, "kind": "data test on a table"}]
    result = ScaleResult(scale=10, seed=1, lower_bound_seconds=2.0, build_seconds=300.0, empty_build_seconds=50.0,
                         nodes=1000, incremental_build_seconds=100.0, **PASSED, threads=2,
                         slowest_nodes=slow, incremental_slowest_nodes=slow[:1],
                         time_by_kind={"model: table in intermediate": {"nodes": 7, "seconds": 120.0},
                                       "data test on a table": {"nodes": 900, "seconds": 60.0}})
    lines = to_markdown([result], "test machine").splitlines()

    def why_under(verdict_start: str) -> str:
        index = next(i for i, line in enumerate(lines) if line.startswith(verdict_start))
        assert lines[index].endswith("MISSED")
        return lines[index + 1]

    # data time: (300 - 50) / 2 = 125x
    why = why_under("- scale 10, data time / lower bound")
    assert why.startswith("  - why: 250 s of data time against 2.0 s")
    assert "sessions 40.0 s (model: table in intermediate), unique_sessions_id 5.0 s (data test on a table)" in why
    assert "the costliest kind, model: table in intermediate (7 nodes), takes 120 of 180 s" in why
    # overhead: 50 s / 1000 nodes = 50 ms
    assert "ran 1000 nodes in 50.0 s with no data" in why_under("- scale 10, overhead per node")
    # incremental: 100 / 300; the floor alone, 50 / 300, is above 5%; data share (100 - 50) / 250 = 20%
    why = why_under("- scale 10, incremental build / full build")
    assert "runs all 1000 nodes, and dbt's own overhead for them (50.0 s, from the empty build) is already " \
           "16.7% of the full build" in why
    assert "it spent 20.0% of the full build's data time" in why and "sessions 40.0 s" in why
    assert "summed over 2 threads" in "\n".join(lines)

    met = ScaleResult(scale=10, seed=1, lower_bound_seconds=10.0, build_seconds=120.0, empty_build_seconds=20.0,
                      nodes=1000, incremental_build_seconds=6.0, **PASSED, slowest_nodes=slow)
    assert "why:" not in to_markdown([met], "test machine")


def test_a_missed_growth_names_the_nodes_that_grew_most_and_a_change_of_threads() -> None:
    small = ScaleResult(scale=10, seed=1, build_seconds=100.0, threads=2, **PASSED,
                        node_seconds={"model.p.sessions": 10.0, "model.p.mrr": 5.0, "model.p.tiny": 0.1})
    large = ScaleResult(scale=100, seed=1, build_seconds=1500.0, threads=1, **PASSED,
                        node_seconds={"model.p.sessions": 300.0, "model.p.mrr": 20.0, "model.p.tiny": 0.2})
    markdown = to_markdown([small, large], "test machine")
    assert "build time from scale 10 to scale 100: 15.0x (target <= 10x): MISSED" in markdown
    why = markdown[markdown.index("15.0x"):].splitlines()[1]
    assert why.startswith("  - why: the nodes that grew most: sessions 10.0 s -> 300.0 s, mrr 5.0 s -> 20.0 s,")
    assert "scale 100 ran on 1 dbt thread(s), scale 10 on 2" in why
    # growth apart from the threads: the nodes' own seconds, 15.1 s and 320.2 s
    assert why.endswith("summed over the threads the nodes took 15 s and 320 s (21.2x)")


def test_a_failed_build_gives_no_verdict_and_names_what_failed() -> None:
    """A build that stopped (at scale 100 with two threads the disk ran full) skipped the nodes below the
    failure and looks fast: its ratios are marked not measured, with the failed nodes, never met."""
    run_results = {"results": [
        {"unique_id": "model.p.sessions", "status": "error", "execution_time": 169.0,
         "message": "Runtime Error in model sessions\n  IO Error: Could not write file: No space left on device"},
        {"unique_id": "model.p.sessions_daily", "status": "skipped", "execution_time": 0},
        {"unique_id": "test.p.unique_sessions_id.0123456789", "status": "skipped", "execution_time": 0},
        {"unique_id": "model.p.mrr", "status": "success", "execution_time": 5.0},
    ]}
    failures = unsuccessful_nodes(run_results)
    assert failures == {"failed": [{"node": "model.p.sessions", "status": "error",
                                    "message": "IO Error: Could not write file: No space left on device"}],
                        "skipped": 2}
    small = ScaleResult(scale=10, seed=1, lower_bound_seconds=10.0, build_seconds=100.0, empty_build_seconds=20.0,
                        nodes=1000, **PASSED, incremental_skipped=True)
    large = ScaleResult(scale=100, seed=1, lower_bound_seconds=100.0, build_seconds=600.0, empty_build_seconds=20.0,
                        nodes=1000, build_success=False, empty_build_success=True, incremental_skipped=True,
                        failures={"build": failures})
    lines = to_markdown([small, large], "test machine").splitlines()
    verdict = next(i for i, line in enumerate(lines) if line.startswith("- scale 100, data time / lower bound"))
    # (600 - 20) / 100 = 5.8x would be met
    assert lines[verdict] == ("- scale 100, data time / lower bound: 5.8x (target <= 10x): "
                              "NOT MEASURED: the build failed")
    assert lines[verdict + 1] == ("  - the build at scale 100 failed: sessions (error: IO Error: Could not write file: "
                                  "No space left on device); 2 nodes skipped")
    # the empty build passed: its overhead per node is a measurement
    assert "- scale 100, overhead per node: 20.0 ms (target <= 30 ms): met" in lines
    growth = next(i for i, line in enumerate(lines) if line.startswith("- build time from scale 10 to scale 100"))
    assert lines[growth].endswith("6.0x (target <= 10x): NOT MEASURED: the build at scale 100 failed")
    assert ": met" not in "\n".join(line for line in lines if "scale 100" in line and "overhead" not in line)


def test_the_empty_build_starts_where_the_full_build_did(tmp_path: Path, monkeypatch) -> None:
    """build minus empty build is the data's time only when both start from the raw data and the seeds:
    an empty build over the built warehouse also drops every table the builds filled."""
    import json

    from revops_tools import bench
    from revops_tools.generator import append as append_module

    path = tmp_path / "bench.duckdb"
    generate(str(path), scale=0.02, seed=7, progress=False)
    seen: list[tuple[str, set[str]]] = []

    def schemas() -> set[str]:
        con = duckdb.connect(str(path), read_only=True)
        try:
            return {name for (name,) in con.execute(
                "select distinct schema_name from duckdb_tables() where not schema_name like 'raw_%'").fetchall()}
        finally:
            con.close()

    def fake_dbt(cmd: list[str]) -> None:
        """What dbt would leave: the seeds, and a filled mart after a build without --empty."""
        seen.append((" ".join(cmd[1:cmd.index("--target-path")]), schemas()))
        target = Path(cmd[cmd.index("--target-path") + 1])
        target.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(path))
        con.execute("create schema if not exists reference")
        con.execute("create or replace table reference.fx_rates as select 1 as rate")
        if cmd[1] == "build" and "--empty" not in cmd:
            con.execute("create schema if not exists marts")
            con.execute("create or replace table marts.fct_mrr as select range as mrr from range(1000)")
        con.close()
        (target / "run_results.json").write_text(json.dumps({"results": [
            {"unique_id": "model.p.fct_mrr", "execution_time": 1.0, "thread_id": "Thread-1 (worker)",
             "status": "success"}]}))
        (target / "manifest.json").write_text(json.dumps({"nodes": {}}))

    monkeypatch.setattr(bench, "lower_bound", lambda _: (1.0, 10, 100))
    monkeypatch.setattr(bench.subprocess, "run", lambda cmd, **_: fake_dbt(cmd))
    monkeypatch.setattr(bench, "_run_measured", lambda cmd, env, log: (fake_dbt(cmd), (1.0, 1.0, 0))[1])
    monkeypatch.setattr(append_module, "append", lambda *_, **__: {})

    result = bench.bench_scale(0.02, 7, tmp_path / "work", "1GB", lambda _: None, warehouse=str(path))

    commands = [command for command, _ in seen]
    assert commands == ["seed --full-refresh", "build", " ".join(bench.SCHEDULED_BUILD),
                        "seed --full-refresh", "build --empty"], commands
    full_build, incremental_build, empty_build = seen[1][1], seen[2][1], seen[-1][1]
    assert "marts" in incremental_build and "marts" not in full_build
    assert empty_build == full_build and "reference" in empty_build
    assert result.empty_build_success and result.warehouse_bytes > 0


def test_threads_kinds_and_short_names_come_from_dbt_artifacts() -> None:
    run_results = {"results": [
        {"unique_id": "model.p.t", "execution_time": 2.0, "thread_id": "Thread-1 (worker)"},
        {"unique_id": "test.p.not_null_t_id.abcdef0123", "execution_time": 3.0, "thread_id": "Thread-2 (worker)"},
        {"unique_id": "seed.p.s", "execution_time": 0.1, "thread_id": "Thread-1 (worker)"},
        {"unique_id": "operation.p.hook", "execution_time": 0.0, "thread_id": "main"},
    ]}
    manifest = {"nodes": {"model.p.t": {"fqn": ["p", "marts", "t"], "config": {"materialized": "table"}},
                          "test.p.not_null_t_id.abcdef0123": {"depends_on": {"nodes": ["model.p.t"]}}}}
    assert worker_threads(run_results) == 2
    assert slowest_nodes(run_results, count=2, manifest=manifest) == [
        {"node": "test.p.not_null_t_id.abcdef0123", "seconds": 3.0, "kind": "data test on a table"},
        {"node": "model.p.t", "seconds": 2.0, "kind": "model: table in marts"},
    ]
    assert short_name("test.p.not_null_t_id.abcdef0123") == "not_null_t_id"
    assert short_name("model.p.t") == "t" and short_name("unit_test.p.t.case") == "t.case"


def test_large_scales_build_on_one_thread_so_two_spills_never_share_the_disk() -> None:
    assert dbt_threads_for(1) == 2 and dbt_threads_for(10) == 2
    assert dbt_threads_for(100) == 1


def test_make_refresh_runs_the_scheduled_build_the_bench_measures() -> None:
    """`make refresh` (the production run after new data lands) and the bench's incremental build are
    one command: the bench's figure is the one users get."""
    import subprocess

    from revops_tools.bench import REPO, SCHEDULED_BUILD

    dry_run = subprocess.run(["make", "-n", "refresh"], cwd=REPO, capture_output=True,
                             text=True, check=True).stdout
    dbt_lines = [line.split() for line in dry_run.splitlines() if "/dbt " in line]
    assert len(dbt_lines) == 1, dry_run
    words = dbt_lines[0]
    command = words[words.index(next(w for w in words if w.endswith("/dbt"))) + 1:]
    assert [w for w in command if w not in ("--target", "duckdb")] == SCHEDULED_BUILD
