"""The benchmark's own arithmetic: the lower bound copies every raw table, and the ratios it prints."""
from __future__ import annotations

from pathlib import Path

import duckdb

from revops_tools.bench import ScaleResult, lower_bound, to_markdown
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
