"""One generated warehouse and one `dbt build` per test session; tests then query the DuckDB file.

The scale and seed are env vars so CI stays fast and a developer can test bigger data:
TEST_SCALE (default 0.25) and TEST_SEED (default 42).
"""
from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
TEST_SCALE = float(os.environ.get("TEST_SCALE", "0.25"))
TEST_SEED = int(os.environ.get("TEST_SEED", "42"))


def run_dbt(args: list[str], warehouse: Path, target_path: Path):
    """Runs dbt in-process against `warehouse`; returns dbt's result object."""
    from dbt.cli.main import dbtRunner

    os.environ["WAREHOUSE_PATH"] = str(warehouse)
    os.environ["DBT_PROFILES_DIR"] = str(REPO / "profiles")
    result = dbtRunner().invoke(
        [*args, "--project-dir", str(REPO), "--target-path", str(target_path), "--log-path",
         str(target_path / "logs")]
    )
    release_dbt_connection()
    return result


def release_dbt_connection() -> None:
    """dbt-duckdb keeps its database handle for the life of the process; drop it so tests can open
    the file themselves (DuckDB refuses a second handle with another configuration)."""
    import gc

    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    DuckDBConnectionManager.close_all_connections()
    gc.collect()


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Path:
    """Raw data only, no dbt: for tests of the generator itself."""
    from revops_tools.generator import generate

    path = REPO / "target" / "pytest" / "warehouse.duckdb"
    path.parent.mkdir(parents=True, exist_ok=True)
    generate(str(path), scale=TEST_SCALE, seed=TEST_SEED, progress=False)
    return path


@pytest.fixture(scope="session")
def built(generated: Path) -> Path:
    """The warehouse after `dbt seed` and `dbt build`; fails the session if dbt fails."""
    target = REPO / "target" / "pytest" / "dbt"
    seeded = run_dbt(["seed", "--full-refresh"], generated, target)
    assert seeded.success, f"dbt seed failed: {seeded.exception}"
    result = run_dbt(["build"], generated, target)
    failures = [
        f"{r.node.unique_id}: {r.status} {r.message}"
        for r in (result.result or [])
        if str(r.status) in ("error", "fail", "runtime error")
    ]
    assert result.success, "dbt build failed:\n" + "\n".join(failures or [str(result.exception)])
    return generated


@pytest.fixture(scope="session")
def manifest(built: Path) -> dict:
    import json

    return json.loads((REPO / "target" / "pytest" / "dbt" / "manifest.json").read_text())


@pytest.fixture()
def raw(generated: Path):
    con = duckdb.connect(str(generated), read_only=True)
    yield con
    con.close()


@pytest.fixture()
def wh(built: Path):
    con = duckdb.connect(str(built), read_only=True)
    yield con
    con.close()
