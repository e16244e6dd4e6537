"""The DuckDB profile gives every dbt node the settings the build relies on, and the file log stays at info.

memory_limit (DUCKDB_MEMORY_LIMIT) is what makes scale 100 spill instead of failing, and
preserve_insertion_order=false is what lets DuckDB spill windows and sorts; both are database-wide
options set once when dbt opens the file (profiles.yml `config_options`), where `settings` would be
SET again on every node's cursor. TimeZone is a `settings` entry, so each cursor is in UTC. The
project's `log_level_file: info` (dbt_project.yml flags) keeps dbt from writing every statement to
logs/dbt.log; `--log-level-file debug` brings that back for one run.
"""
from __future__ import annotations

import json
from pathlib import Path

from conftest import run_dbt

SETTINGS_QUERY = (
    "select current_setting('memory_limit') as memory_limit, "
    "current_setting('preserve_insertion_order') as preserve_insertion_order, "
    "current_setting('TimeZone') as time_zone"
)


def _show(query: str, warehouse: Path, target: Path) -> dict:
    result = run_dbt(["show", "--inline", query, "--log-format-file", "json"], warehouse, target)
    assert result.success, f"dbt show failed: {result.exception}"
    rows = result.result.results[0].agate_table
    return dict(zip(rows.column_names, rows.rows[0], strict=True))


def test_dbt_nodes_get_the_memory_limit_from_the_environment_and_run_in_utc(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DUCKDB_MEMORY_LIMIT", "3GB")
    settings = _show(SETTINGS_QUERY, tmp_path / "warehouse.duckdb", tmp_path / "target")
    # DuckDB reports 3 GB (10^9 bytes) in GiB
    assert settings == {"memory_limit": "2.7 GiB", "preserve_insertion_order": False, "time_zone": "UTC"}


def test_the_file_log_leaves_out_dbts_debug_lines(tmp_path: Path) -> None:
    target = tmp_path / "target"
    _show("select 1 as one", tmp_path / "warehouse.duckdb", target)
    levels = {json.loads(line)["info"]["level"] for line in (target / "logs" / "dbt.log").read_text().splitlines()}
    assert "info" in levels and "debug" not in levels, levels
