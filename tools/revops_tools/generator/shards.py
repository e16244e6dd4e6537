"""Sharded generation: a world too big for one process's memory, made as business units in parallel.

The simulation holds one world in memory (about 1.7 GB per scale unit), so a large scale is generated
as n = ceil(scale / shard limit) shards, each a complete world of scale / n: a business unit with its
own random streams, id namespaces, companies, sales team, ad accounts and campaigns, and web site
visitors (world.World, shard k). Shard 0 is exactly the unsharded world of scale / n. Each shard runs
in its own worker process and writes its own DuckDB file in a scratch folder beside the target; the
parent appends them to the target in shard order, so the warehouse does not depend on how many
workers ran. See README.md beside this file ("Sharded generation").
"""
from __future__ import annotations

import math
import os
import resource
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import duckdb

from revops_tools.generator.schema import TABLES, TRUTH_TABLES
from revops_tools.generator.world import MAX_SHARDS

# The largest scale generated as one world. Its peak memory (SHARD_PEAK_GB) times the workers must
# fit the machine: two workers of scale 2.5 need about 9 GB of a 24 GB machine shared with others.
SHARD_SCALE = 2.5
SHARD_SCALE_ENV = "REVOPS_SHARD_SCALE"  # overrides SHARD_SCALE (tests use tiny shards)
# Measured peak resident memory of one world: about BASE + PER_SCALE x its scale (see README.md).
PEAK_BASE_GB = 0.35
PEAK_PER_SCALE_GB = 1.7
MERGE_MEMORY_LIMIT_GB = 1.0  # DuckDB's memory limit in the parent while it appends the shards
MEMORY_SHARE = 0.7  # of the memory available when the run starts, for the workers and the merge
RUNS = "truth.generation_runs"


def shard_scale_limit(override: float | None = None) -> float:
    """The shard limit: `override`, else $REVOPS_SHARD_SCALE, else SHARD_SCALE."""
    limit = override if override is not None else float(os.environ.get(SHARD_SCALE_ENV, SHARD_SCALE))
    if limit <= 0:
        raise ValueError(f"the shard scale limit must be positive, got {limit}")
    return limit


def shard_count(scale: float, limit: float) -> int:
    """How many shards a world of `scale` is made of: enough that none exceeds `limit`. The tolerance
    keeps float noise (0.1 / 0.05 = 2.0000000000000004) from adding a shard."""
    n = max(1, math.ceil(scale / limit - 1e-9))
    if n > MAX_SHARDS:
        raise ValueError(f"scale {scale} at a shard limit of {limit} needs {n} shards; at most {MAX_SHARDS}")
    return n


def expected_peak_gb(scale: float) -> float:
    return PEAK_BASE_GB + PEAK_PER_SCALE_GB * scale


def available_memory_gb() -> float:
    """MemAvailable of /proc/meminfo (what can be used without swapping), in GB; total RAM elsewhere."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024 / 1e9
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def default_jobs(shards: int, shard_scale: float) -> int:
    """One worker per core, but no more than MEMORY_SHARE of the available memory can hold at the
    shards' expected peak (after the merge's own share), and never more than there are shards."""
    budget = MEMORY_SHARE * available_memory_gb() - MERGE_MEMORY_LIMIT_GB
    fit = int(budget // expected_peak_gb(shard_scale))
    return max(1, min(cpu_count(), shards, fit))


def peak_rss_gb() -> float:
    """This process's peak resident memory so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9


def remove_database(path: str) -> None:
    for file in (path, path + ".wal"):
        if os.path.exists(file):
            os.remove(file)


def _generate_shard(path: str, scale: float, seed: int, end: float, runs: list[dict], shard: int, shards: int,
                    progress: bool) -> tuple[dict[str, int], float, float]:
    """Worker process: generates shard `shard` into `path`. Returns its row counts, its wall time and
    its peak memory (each worker runs one shard, so the process's peak is the shard's)."""
    from revops_tools.generator import generate_world, progress_printer

    started = time.perf_counter()
    say = progress_printer(progress, started, f"shard {shard + 1}/{shards}: ")
    counts = generate_world(path, scale, seed, end, runs, say, shard)
    return counts, time.perf_counter() - started, peak_rss_gb()


def generate_sharded(path: str, scale: float, seed: int, end: float, runs: list[dict], shards: int,
                     jobs: int | None, progress: bool) -> dict[str, int]:
    """Generates `shards` business units of scale / shards in worker processes and merges them, in shard
    order, into the DuckDB file at `path`; truth.generation_runs gets `runs` (this run last)."""
    from revops_tools.generator import progress_printer
    from revops_tools.generator.land import write_runs

    say = progress_printer(progress, time.perf_counter())
    unit_scale = scale / shards
    jobs = default_jobs(shards, unit_scale) if jobs is None else min(jobs, shards)
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    say(f"generating scale={scale} seed={seed} as {shards} shards of scale {unit_scale:g} in {jobs} worker(s) "
        f"(expected peak {expected_peak_gb(unit_scale):.1f} GB each; {available_memory_gb():.1f} GB available)")
    remove_database(path)
    scratch = tempfile.mkdtemp(prefix=".revops_shards_", dir=os.path.dirname(os.path.abspath(path)))
    con = duckdb.connect(path)
    try:
        con.execute(f"set memory_limit = '{MERGE_MEMORY_LIMIT_GB}GB'")
        shard_args = (unit_scale, seed, end, runs, shards, progress)
        counts = _generate_and_merge(con, scratch, jobs, shard_args, say)
        counts[RUNS] = write_runs(con, runs)
        con.execute("checkpoint")
        con.close()
    except BaseException:
        con.close()
        remove_database(path)  # a partly merged warehouse is of no use
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    say(f"done: {sum(counts.values()):,} rows in {len(counts)} tables from {shards} shards")
    return counts


def _generate_and_merge(con: duckdb.DuckDBPyConnection, scratch: str, jobs: int, args: tuple, say
                        ) -> dict[str, int]:
    """Runs every shard in a pool of `jobs` fresh processes (one per shard, so each returns its memory)
    and appends each shard's file to `con` as soon as it and the shards before it are done, so scratch
    files never pile up. Returns the row counts of the merged tables."""
    unit_scale, seed, end, runs, shards, progress = args
    files = [os.path.join(scratch, f"shard_{k:03d}.duckdb") for k in range(shards)]
    counts: dict[str, int] = {}
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn"), max_tasks_per_child=1)
    try:
        futures = [pool.submit(_generate_shard, files[k], unit_scale, seed, end, runs, k, shards, progress)
                   for k in range(shards)]
        for k, future in enumerate(futures):
            shard_counts, elapsed, peak = future.result()
            merge_started = time.perf_counter()
            _append_shard(con, files[k], first=k == 0)
            remove_database(files[k])
            for table, n in shard_counts.items():
                if table != RUNS:  # each shard's file has its own run row; the warehouse gets one
                    counts[table] = counts.get(table, 0) + n
            say(f"shard {k + 1}/{shards} generated in {elapsed:.1f}s (peak memory {peak:.2f} GB), "
                f"{sum(shard_counts.values()) - shard_counts[RUNS]:,} rows merged in "
                f"{time.perf_counter() - merge_started:.1f}s")
    except BaseException:
        # A failed shard cancels the shards not yet started (those running end first: waiting for them
        # is what keeps concurrent.futures clean with max_tasks_per_child in Python 3.11).
        pool.shutdown(cancel_futures=True)
        raise
    pool.shutdown()
    return counts


def _append_shard(con: duckdb.DuckDBPyConnection, shard_path: str, first: bool) -> None:
    """Appends every raw and truth table of a shard's file (but its own generation run) to the target;
    the first shard creates the schemas and tables (same columns and types)."""
    tables = [*TABLES, *(t for t in TRUTH_TABLES if t != RUNS)]
    con.execute(f"attach '{shard_path}' as shard (read_only)")
    try:
        if first:
            for schema in sorted({t.split(".")[0] for t in [*TABLES, *TRUTH_TABLES]}):
                con.execute(f"create schema if not exists {schema}")
        for table in tables:
            schema, name = table.split(".")
            source = f'shard.{schema}."{name}"'
            if first:
                con.execute(f'create table {schema}."{name}" as select * from {source}')
            else:
                con.execute(f'insert into {schema}."{name}" select * from {source}')
    finally:
        con.execute("detach shard")

