"""BI tools read the published marts file while a build runs, and it holds every mart of the build."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from revops_tools.publish import publish

REPO = Path(__file__).resolve().parents[2]

# A BI tool in miniature: opens the serving file read-only, queries a mart, closes, over and over,
# until told to stop; prints what it saw as JSON.
READER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    import duckdb

    serving, stop_file = sys.argv[1], Path(sys.argv[2])
    queries, errors, publications, times = 0, [], set(), []
    while not stop_file.exists():
        try:
            con = duckdb.connect(serving, read_only=True)
            con.execute("select count(*), sum(mrr) from marts.fct_mrr").fetchone()
            publications.add(str(con.execute("select published_at from meta.publication").fetchone()[0]))
            con.close()
            queries += 1
            times.append(time.time())
        except Exception as error:  # every failure is the finding
            errors.append(f"{type(error).__name__}: {error}")
        time.sleep(0.05)
    print(json.dumps({"queries": queries, "errors": errors[:5], "error_count": len(errors),
                      "publications": sorted(publications), "first": min(times, default=0),
                      "last": max(times, default=0)}))
    """
)


def test_publish_copies_every_mart_with_rows_and_descriptions(built: Path, tmp_path: Path) -> None:
    serving = tmp_path / "serving.duckdb"
    result = publish(built, serving)
    source = duckdb.connect(str(built), read_only=True)
    copy = duckdb.connect(str(serving), read_only=True)
    try:
        expected = source.execute(
            "select table_name, estimated_size from duckdb_tables() where schema_name = 'marts' order by 1"
        ).fetchall()
        published = copy.execute("select table_name from duckdb_tables() where schema_name = 'marts' order by 1")
        assert [name for name, _ in expected] == [name for (name,) in published.fetchall()]
        for (table, _) in expected:
            query = f"select count(*) from marts.{table}"
            assert copy.execute(query).fetchone() == source.execute(query).fetchone(), table
        # dbt's persist_docs put the YAML descriptions on the marts; BI users see them in the copy.
        undocumented = copy.execute(
            "select table_name || '.' || column_name from duckdb_columns() "
            "where schema_name = 'marts' and (comment is null or comment = '')"
        ).fetchall()
        assert undocumented == []
        meta = copy.execute("select table_count, row_count, as_of_date from meta.publication").fetchone()
        assert meta[0] == len(expected) == result.tables
        assert meta[2] == source.execute("select as_of_date from intermediate.int_as_of").fetchone()[0]
    finally:
        source.close()
        copy.close()


def test_publish_refuses_a_file_without_marts(tmp_path: Path) -> None:
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(RuntimeError, match="no tables in marts"):
        publish(empty, tmp_path / "serving.duckdb")
    assert not (tmp_path / "serving.duckdb").exists()


def test_reader_queries_the_marts_without_error_while_dbt_builds(built: Path, tmp_path: Path) -> None:
    """A reader polls the serving file through a dbt run and a publish; the build file itself is locked."""
    build_file = tmp_path / "warehouse.duckdb"
    shutil.copy(built, build_file)
    serving = tmp_path / "serving.duckdb"
    publish(build_file, serving)
    stop_file = tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(serving), str(stop_file)], stdout=subprocess.PIPE,
                              text=True)
    try:
        time.sleep(1.0)
        env = {**os.environ, "WAREHOUSE_PATH": str(build_file), "DBT_PROFILES_DIR": str(REPO / "profiles")}
        dbt = subprocess.Popen(
            [str(Path(sys.executable).parent / "dbt"), "run", "--select", "marts.revenue", "--project-dir",
             str(REPO), "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        build_started = time.time()
        # The control: once dbt is building (it holds the file from its first model on), a BI tool
        # pointed at the build file itself is refused.
        lines, refused = [], None
        for line in dbt.stdout:
            lines.append(line)
            if refused is None and " START sql " in line:
                try:
                    duckdb.connect(str(build_file), read_only=True).close()
                    refused = ""
                except duckdb.IOException as error:
                    refused = str(error)
        dbt.wait(timeout=600)
        output = "".join(lines)
        build_finished = time.time()
        assert dbt.returncode == 0, output[-3000:]
        assert refused and "lock" in refused.lower(), f"expected the build file to be locked during dbt: {refused!r}"
        publish(build_file, serving)
        time.sleep(1.0)
    finally:
        stop_file.touch()
        seen = json.loads(reader.communicate(timeout=60)[0])
    assert seen["error_count"] == 0, seen["errors"]
    assert seen["first"] < build_started and seen["last"] > build_finished, "the reader did not span the build"
    assert seen["queries"] > 10
    assert len(seen["publications"]) == 2, "the reader should see the first publication, then the new one"
