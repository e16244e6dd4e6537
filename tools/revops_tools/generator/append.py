"""`revops append`: land the next days of the same world into an existing warehouse, as the connectors
would in their next daily syncs (see README.md beside this file)."""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time

import duckdb
import pandas as pd

from revops_tools.generator.land import latest_sync, record_key
from revops_tools.generator.schema import TABLES, TRUTH_TABLES
from revops_tools.generator.world import DAY, HORIZON

RUNS = "truth.generation_runs"


class AppendError(RuntimeError):
    """The warehouse cannot be appended to (no generation metadata, or data and metadata disagree)."""


def read_runs(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """The warehouse's generation runs, oldest first, checked to form one unbroken story."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'truth' and table_name = 'generation_runs'"
    ).fetchone()[0]
    if not exists:
        raise AppendError(f"no {RUNS} table: this warehouse was not written by `revops generate` "
                          "(or by a version without generation metadata); generate it again")
    present = {c for (c,) in con.execute(
        "select column_name from information_schema.columns where table_schema = 'truth' "
        "and table_name = 'generation_runs'").fetchall()}
    # A warehouse of a generator without shards has no `shards` column: it was one world (1 shard).
    cols = [c for c, _ in TRUTH_TABLES[RUNS] if c in present]
    runs = [dict(zip(cols, r)) for r in con.execute(f"select {', '.join(cols)} from {RUNS} order by run_id").fetchall()]
    for run in runs:
        run["shards"] = run.get("shards") or 1
    if not runs:
        raise AppendError(f"{RUNS} is empty: the warehouse's scale, seed and story end are unknown")
    if runs[0]["kind"] != "generate" or any(r["kind"] != "append" for r in runs[1:]):
        raise AppendError(f"{RUNS} must start with one generate run followed by append runs only")
    for before, after in zip(runs, runs[1:]):
        if after["previous_story_end"] != before["story_end"]:
            raise AppendError(
                f"gap in {RUNS}: run {after['run_id']} continued the story from {after['previous_story_end']} "
                f"but run {before['run_id']} ended it at {before['story_end']}")
        world = ("scale", "seed", "horizon", "shards")
        if any(after[c] != before[c] for c in world):
            raise AppendError(f"run {after['run_id']} of {RUNS} changed the scale, seed, horizon or shards")
    latest = latest_sync(con)
    if latest != runs[-1]["last_sync_at"]:
        raise AppendError(
            f"gap between data and metadata: the raw tables' latest load is {latest}, but {RUNS} says the "
            f"last sync was {runs[-1]['last_sync_at']} (rows were loaded or removed by something else)")
    return runs


def _epoch(ts) -> float:
    return pd.Timestamp(ts).tz_localize("UTC").timestamp()


def append(path: str, days: int = 1, progress: bool = True, workdir: str | None = None,
           jobs: int | None = None) -> dict[str, dict]:
    """Lands the next `days` days of the warehouse's story into the DuckDB file at `path`.

    The world up to the new end is generated again (same scale, seed and shards, read from
    truth.generation_runs; `jobs` worker processes for a sharded world) into a scratch file; then, table
    by table, every record whose rows differ is upserted: new records are inserted, a changed record's
    landed rows are replaced by its new ones (history rows: the previous version closed, the new one
    opened), nothing else is touched. Afterwards the warehouse equals one generated directly to the new
    end. Returns per raw table the rows inserted and replaced.
    """
    if days < 1:
        raise AppendError(f"--days must be at least 1, got {days}")
    started = time.perf_counter()

    def say(msg: str) -> None:
        if progress:
            print(f"[{time.perf_counter() - started:6.1f}s] {msg}", file=sys.stderr, flush=True)

    if not os.path.exists(path):
        raise AppendError(f"no warehouse at {path}")
    con = duckdb.connect(path)
    try:
        runs = read_runs(con)
        last = runs[-1]
        old_end = _epoch(last["story_end"])
        new_end = old_end + days * DAY
        if _epoch(last["horizon"]) != HORIZON:
            raise AppendError(f"the warehouse's world was simulated to {last['horizon']}, this generator's to "
                              f"{pd.Timestamp(HORIZON, unit='s')}: generate it again")
        if new_end > HORIZON:
            raise AppendError(f"the story can run to {pd.Timestamp(HORIZON, unit='s')} at most, the horizon the "
                              f"world is simulated to; {last['story_end']} + {days} days is beyond it")
        say(f"appending {days} day(s) to {path}: story end {last['story_end']} -> "
            f"{pd.Timestamp(new_end, unit='s')} (scale={last['scale']}, seed={last['seed']}, "
            f"shards={last['shards']})")
        con.close()
        from revops_tools.generator import generate

        scratch_dir = tempfile.mkdtemp(prefix="revops_append_", dir=workdir or os.path.dirname(os.path.abspath(path)))
        scratch = os.path.join(scratch_dir, "world.duckdb")
        run = {"run_id": last["run_id"] + 1, "kind": "append", "scale": last["scale"], "seed": last["seed"],
               "horizon": last["horizon"], "previous_story_end": last["story_end"],
               "story_end": pd.Timestamp(int(round(new_end * 1e6)), unit="us"), "days": days,
               "shards": last["shards"]}
        try:
            # The same world: same scale, seed and business units (shards), whatever the shard limit now.
            generate(scratch, scale=last["scale"], seed=int(last["seed"]), progress=progress, end=new_end,
                     shards=last["shards"], jobs=jobs)
            con = duckdb.connect(path)
            read_runs(con)  # nothing changed under us while generating
            con.execute(f"attach '{scratch}' as g (read_only)")
            stats = _upsert(con, say)
            for table in ("truth.companies", "truth.source_records", "truth.injected_faults"):
                con.execute(f"delete from {table}")
                con.execute(f"insert into {table} select * from g.{table}")
            run["last_sync_at"] = latest_sync(con)
            con.execute(f"alter table {RUNS} add column if not exists shards integer")  # an older warehouse
            cols = [c for c, _ in TRUTH_TABLES[RUNS]]
            con.execute(f"insert into {RUNS} ({', '.join(cols)}) values ({', '.join('?' for _ in cols)})",
                        [run[c] for c in cols])
            con.execute("commit")
            con.execute("detach g")
            con.execute("checkpoint")
        finally:
            shutil.rmtree(scratch_dir, ignore_errors=True)
        say(f"done: {sum(s['inserted'] for s in stats.values()):,} rows landed, "
            f"{sum(s['replaced'] for s in stats.values()):,} replaced by newer versions")
        return stats
    finally:
        con.close()


def _upsert(con: duckdb.DuckDBPyConnection, say) -> dict[str, dict]:
    """Inside one transaction: per raw table, the records whose rows differ from the scratch world's are
    replaced by the scratch world's rows. Refuses if a record would vanish (the connectors never delete)."""
    con.execute("begin transaction")
    stats: dict[str, dict] = {}
    try:
        for table in TABLES:
            key = record_key(table)
            keys = ", ".join(f'"{c}"' for c in key)
            match = " and ".join(f'w."{c}" is not distinct from k."{c}"' for c in key)
            con.execute(f"""
                create or replace temp table changed as
                with gone as (select * from {table} except all select * from g.{table}),
                     came as (select * from g.{table} except all select * from {table})
                select distinct {keys}, bool_or(side) as landed, bool_and(side) as only_new
                from (select *, false as side from gone union all select *, true as side from came)
                group by all
            """)
            vanished = con.execute("select count(*) from changed where not landed").fetchone()[0]
            if vanished:
                raise AppendError(f"{table}: {vanished} landed record(s) would disappear; the generator is not "
                                  "prefix-stable for this table")
            replaced = con.execute(
                f"select count(*) from {table} as w where exists (select 1 from changed as k where {match})"
            ).fetchone()[0]
            con.execute(f"delete from {table} as w where exists (select 1 from changed as k where {match})")
            inserted = con.execute(
                f"insert into {table} select * from g.{table} as w "
                f"where exists (select 1 from changed as k where {match})"
            ).fetchone()[0]
            stats[table] = {"inserted": inserted, "replaced": replaced}
            say(f"  {table:<48} {inserted:>9,} rows landed, {replaced:>7,} replaced")
        con.execute("drop table changed")
    except BaseException:
        con.execute("rollback")
        raise
    return stats
