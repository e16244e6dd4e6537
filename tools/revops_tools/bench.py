"""`revops bench`: how close the build stays to what the engine itself can do, at several scales.

For each scale, on a freshly generated warehouse, in one run on one machine:
- generation time, raw rows and raw bytes;
- the lower bound: DuckDB copying every raw table once (CREATE TABLE AS SELECT), in this process;
- `dbt build` wall time and peak memory (the dbt process's own maximum resident set);
- `dbt build --empty` on the same project: dbt's own overhead with no data, run last, from the raw data
  and the seeds as the full build was (what the builds made is dropped first);
- the ten slowest nodes from run_results.json, where the build's time goes by kind of node, and the
  warehouse file size;
- the incremental cycle: `revops append --days 1` (the next day of the same world, as connectors would
  land it), then the scheduled build on the built warehouse (SCHEDULED_BUILD, `make refresh`: every
  model and data test, unit tests left out as dbt recommends for production runs), as a share of the
  full build (which runs the unit tests too, as `make build` and CI do); skipped above
  `incremental_max_scale` (append regenerates the whole world: at scale 100 about as long as generate),
  with its own slowest nodes and time by kind of node, and its data time (minus the empty build) as a
  share of the full build's;
- between two scales of the run ten times apart, how much the build time grew.
From scale 50 the builds run on one dbt thread unless DBT_THREADS is set (ONE_THREAD_FROM_SCALE).
Under every target the Markdown marks MISSED, a line says which nodes cost what and why (dbt's own
overhead, the slowest nodes and their kind, the nodes that grew most between two scales).
It writes a JSON file and a Markdown table and prints the ratios: data time (build minus empty
build) over the lower bound, and overhead per node. Timings are never asserted in tests: they are
ratios measured here, side by side.

`--warehouse PATH` measures an already generated warehouse instead (at scale 100 generation takes an
hour and a second world does not fit beside the first on a small disk): its scale and seed come from
its generation log, and every schema but the raw ones, the generator's truth and `main` is dropped
first, so dbt builds everything from scratch as on a fresh warehouse. The file is the bench's from
then on: up to `incremental_max_scale` the incremental cycle appends a day to it, and what dbt built is
dropped again before the empty build.
"""
from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[2]


@dataclass
class ScaleResult:
    scale: float
    seed: int
    generate_seconds: float = 0.0
    raw_rows: int = 0
    raw_bytes: int = 0
    lower_bound_seconds: float = 0.0
    build_seconds: float = 0.0
    build_peak_rss_mb: float = 0.0
    empty_build_seconds: float = 0.0
    empty_build_success: bool = False
    nodes: int = 0
    warehouse_bytes: int = 0
    build_success: bool = False
    slowest_nodes: list[dict] = field(default_factory=list)
    time_by_kind: dict[str, dict] = field(default_factory=dict)
    append_seconds: float = 0.0
    appended_rows: int = 0
    incremental_build_seconds: float = 0.0
    incremental_nodes: int = 0
    incremental_build_success: bool = False
    incremental_skipped: bool = False
    incremental_slowest_nodes: list[dict] = field(default_factory=list)
    incremental_time_by_kind: dict[str, dict] = field(default_factory=dict)
    reused_warehouse: str = ""
    # dbt threads the full build ran on (its run_results' worker threads)
    threads: int = 0
    # every node's seconds in the full build: which nodes grew between two scales
    node_seconds: dict[str, float] = field(default_factory=dict)
    # per build ("build", "incremental build", "empty build") that did not pass: its failed nodes
    # (node, status, the message's last line) and how many nodes it skipped (unsuccessful_nodes)
    failures: dict[str, dict] = field(default_factory=dict)

    def failed_builds(self, *builds: str) -> list[str]:
        """Which of these builds did not pass: a ratio taken from them is not a measurement (a build
        that stopped at a full disk skipped the nodes below the failure and looks fast)."""
        passed = {"build": self.build_success, "incremental build": self.incremental_build_success,
                  "empty build": self.empty_build_success}
        return [build for build in builds if not passed[build]]

    @property
    def data_seconds(self) -> float:
        return max(0.0, self.build_seconds - self.empty_build_seconds)

    @property
    def data_over_lower_bound(self) -> float | None:
        return self.data_seconds / self.lower_bound_seconds if self.lower_bound_seconds else None

    @property
    def overhead_ms_per_node(self) -> float | None:
        return 1000 * self.empty_build_seconds / self.nodes if self.nodes else None

    @property
    def incremental_share(self) -> float | None:
        """The incremental build after one appended day, as a share of the full build."""
        if not (self.build_seconds and self.incremental_build_seconds):
            return None
        return self.incremental_build_seconds / self.build_seconds

    @property
    def incremental_overhead_seconds(self) -> float:
        """dbt's own overhead for the nodes the incremental build ran: the empty build's per node times
        those nodes (the scheduled build leaves the unit tests out); the whole empty build when the
        incremental build's node count is not known."""
        if self.nodes and self.incremental_nodes:
            return self.empty_build_seconds * self.incremental_nodes / self.nodes
        return self.empty_build_seconds

    @property
    def incremental_data_share(self) -> float | None:
        """The incremental build's data time (minus dbt's own overhead for its nodes) as a share of
        the full build's: what the models and tests still read after one appended day."""
        if not (self.build_seconds and self.incremental_build_seconds and self.empty_build_seconds):
            return None
        full_data = self.build_seconds - self.empty_build_seconds
        if full_data <= 0:
            return None
        return max(0.0, self.incremental_build_seconds - self.incremental_overhead_seconds) / full_data

    @property
    def incremental_floor(self) -> float | None:
        """dbt's own overhead for the incremental build's nodes as a share of the full build: no
        incremental build of those nodes can take less, however little data it reads."""
        if not (self.build_seconds and self.empty_build_seconds):
            return None
        return self.incremental_overhead_seconds / self.build_seconds


# The targets of issue 9 (README "Performance"), checked in the Markdown.
TARGET_DATA_OVER_LOWER_BOUND = 10.0
TARGET_OVERHEAD_MS_PER_NODE = 30.0
TARGET_INCREMENTAL_SHARE = 0.05
TARGET_BUILD_GROWTH_PER_TENFOLD_SCALE = 10.0


def build_growth(results: list[ScaleResult]) -> list[tuple[float, float, float]]:
    """(smaller scale, larger scale, build time ratio) for every pair of scales ten times apart."""
    pairs = []
    for small in results:
        for large in results:
            if small.build_seconds and abs(large.scale - 10 * small.scale) < 1e-9:
                pairs.append((small.scale, large.scale, large.build_seconds / small.build_seconds))
    return pairs


def _manifest_nodes(manifest: dict) -> dict[str, dict]:
    return {**manifest.get("nodes", {}), **manifest.get("unit_tests", {})}


def node_kind(unique_id: str, nodes: dict[str, dict]) -> str:
    """What a node is, as far as its cost goes: a model by materialization and layer (a table is
    rebuilt whole on every run, an incremental model is not), a data test by what its model is (a
    test on a view recomputes the view), a unit test, a seed."""
    node = nodes.get(unique_id, {})
    resource = unique_id.split(".")[0]
    if resource == "model":
        layer = (node.get("fqn") or ["", "?"])[1]
        return f"model: {node.get('config', {}).get('materialized')} in {layer}"
    if resource == "test":
        parents = [nodes.get(p, {}) for p in node.get("depends_on", {}).get("nodes", []) if p.startswith("model.")]
        materialized = parents[0].get("config", {}).get("materialized") if parents else None
        return f"data test on a {materialized}" if materialized else "data test (sources only)"
    return resource.replace("_", " ")


def slowest_nodes(run_results: dict, count: int = 10, manifest: dict | None = None) -> list[dict]:
    nodes = _manifest_nodes(manifest or {})
    timings = sorted(run_results["results"], key=lambda r: r.get("execution_time") or 0, reverse=True)
    return [{"node": r["unique_id"], "seconds": round(r.get("execution_time") or 0, 2),
             "kind": node_kind(r["unique_id"], nodes)} for r in timings[:count]]


def unsuccessful_nodes(run_results: dict) -> dict:
    """The nodes of a dbt run that errored or failed, with the last line of dbt's message (where it says
    what went wrong), and how many it skipped."""
    failed = [{"node": r["unique_id"], "status": r.get("status"),
               "message": ((r.get("message") or "").strip().splitlines() or [""])[-1].strip()[:300]}
              for r in run_results["results"] if r.get("status") in ("error", "fail", "runtime error")]
    skipped = sum(1 for r in run_results["results"] if r.get("status") == "skipped")
    return {"failed": failed, "skipped": skipped}


def worker_threads(run_results: dict) -> int:
    """How many dbt threads ran the nodes (dbt names its workers 'Thread-N (worker)')."""
    return len({r.get("thread_id") for r in run_results["results"] if "worker" in (r.get("thread_id") or "")})


def time_by_kind(run_results: dict, manifest: dict) -> dict[str, dict]:
    """Summed execution time and node count per kind of node (node_kind)."""
    nodes = _manifest_nodes(manifest)
    kinds: dict[str, dict] = {}
    for result in run_results["results"]:
        kind = node_kind(result["unique_id"], nodes)
        entry = kinds.setdefault(kind, {"nodes": 0, "seconds": 0.0})
        entry["nodes"] += 1
        entry["seconds"] = round(entry["seconds"] + (result.get("execution_time") or 0), 2)
    return dict(sorted(kinds.items(), key=lambda kv: -kv[1]["seconds"]))


def _run_measured(cmd: list[str], env: dict[str, str], log: Path) -> tuple[float, float, int]:
    """Runs cmd; returns (wall seconds, peak RSS of that process in MB, exit code)."""
    started = time.perf_counter()
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def lower_bound(path: str) -> tuple[float, int, int]:
    """Seconds DuckDB takes to copy every raw table once; also raw rows and raw bytes."""
    con = duckdb.connect(path)
    tables = con.execute(
        "select schema_name, table_name, estimated_size from duckdb_tables() "
        "where schema_name like 'raw\\_%' escape '\\' order by 1, 2"
    ).fetchall()
    rows = sum(con.execute(f'select count(*) from {s}."{t}"').fetchone()[0] for s, t, _ in tables)
    con.execute("create schema if not exists bench_lower_bound")
    started = time.perf_counter()
    for schema, table, _ in tables:
        copy = f'bench_lower_bound."{schema}__{table}"'
        con.execute(f'create or replace table {copy} as select * from {schema}."{table}"')
    con.execute("checkpoint")
    seconds = time.perf_counter() - started
    con.execute("drop schema bench_lower_bound cascade")
    con.execute("checkpoint")
    con.close()
    return seconds, rows, os.path.getsize(path)


KEPT_SCHEMAS = ("main", "truth")


def reset_to_raw(path: str) -> tuple[float, int]:
    """Drops every schema of a generated warehouse but the raw ones, truth and main (what dbt built
    and the bench's own leftovers); returns the (scale, seed) of its generation log."""
    from revops_tools.generator.append import read_runs

    con = duckdb.connect(path)
    try:
        first = read_runs(con)[0]
        schemas = [name for (name,) in con.execute(
            "select schema_name from duckdb_schemas() where database_name = current_database() "
            "and not internal").fetchall()]
        for name in schemas:
            if name not in KEPT_SCHEMAS and not name.startswith("raw_"):
                con.execute(f'drop schema "{name}" cascade')
        con.execute("checkpoint")
        return float(first["scale"]), int(first["seed"])
    finally:
        con.close()


# The scheduled run after new data lands (Makefile target refresh): unit tests check SQL on fixed rows,
# not the data, so production runs leave them to CI.
SCHEDULED_BUILD = ["build", "--exclude-resource-type", "unit_test"]


# From this scale the bench builds on one dbt thread unless DBT_THREADS says otherwise: the largest
# models spill over 20 GB each at scale 100, and two of them spilling at once fill this machine's disk
# (measured again with 56 GB free: sessionisation and the row dispositions side by side ran it full
# twelve minutes into a two-thread build).
ONE_THREAD_FROM_SCALE = 50.0


def dbt_threads_for(scale: float) -> int:
    """dbt threads for a build at this scale when DBT_THREADS is not set (profiles.yml's default is 2)."""
    return 1 if scale >= ONE_THREAD_FROM_SCALE else 2


def bench_scale(scale: float, seed: int, workdir: Path, memory_limit: str, progress,
                incremental_max_scale: float = 10.0, warehouse: str | None = None) -> ScaleResult:
    from revops_tools.generator import generate

    workdir.mkdir(parents=True, exist_ok=True)
    if warehouse:
        progress(f"{warehouse}: dropping everything but the raw data")
        scale, seed = reset_to_raw(warehouse)
        path = Path(warehouse)
        result = ScaleResult(scale=scale, seed=seed, reused_warehouse=str(path))
    else:
        result = ScaleResult(scale=scale, seed=seed)
        path = workdir / f"bench_scale_{scale:g}.duckdb"
        progress(f"scale {scale:g}: generating")
        started = time.perf_counter()
        generate(str(path), scale=scale, seed=seed, progress=False)
        result.generate_seconds = time.perf_counter() - started
    target = workdir / f"target_scale_{scale:g}"
    progress(f"scale {scale:g}: lower bound (copy every raw table once)")
    result.lower_bound_seconds, result.raw_rows, result.raw_bytes = lower_bound(str(path))

    env = dict(os.environ, WAREHOUSE_PATH=str(path), DBT_PROFILES_DIR=str(REPO / "profiles"),
               DUCKDB_MEMORY_LIMIT=memory_limit)
    env.setdefault("DBT_THREADS", str(dbt_threads_for(scale)))
    dbt = str(Path(sys.executable).parent / "dbt")
    common = ["--target-path", str(target), "--log-path", str(target / "logs")]
    subprocess.run([dbt, "seed", "--full-refresh", *common], cwd=REPO, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    progress(f"scale {scale:g}: dbt build")
    result.build_seconds, result.build_peak_rss_mb, code = _run_measured(
        [dbt, "build", *common], env, workdir / f"build_scale_{scale:g}.log")
    result.build_success = code == 0
    run_results = json.loads((target / "run_results.json").read_text())
    if not result.build_success:
        result.failures["build"] = unsuccessful_nodes(run_results)
    manifest = json.loads((target / "manifest.json").read_text())
    result.nodes = len(run_results["results"])
    result.threads = worker_threads(run_results)
    result.node_seconds = {r["unique_id"]: round(r.get("execution_time") or 0, 2) for r in run_results["results"]}
    result.slowest_nodes = slowest_nodes(run_results, manifest=manifest)
    result.time_by_kind = time_by_kind(run_results, manifest)
    (target / "run_results_full_build.json").write_text(json.dumps(run_results))

    if scale <= incremental_max_scale:
        progress(f"scale {scale:g}: append one day, then an incremental dbt build")
        from revops_tools.generator.append import append

        started = time.perf_counter()
        appended = append(str(path), days=1, progress=False)
        result.append_seconds = time.perf_counter() - started
        result.appended_rows = sum(int(table["inserted"]) for table in appended.values())
        result.incremental_build_seconds, _, code = _run_measured(
            [dbt, *SCHEDULED_BUILD, *common], env, workdir / f"incremental_scale_{scale:g}.log")
        result.incremental_build_success = code == 0
        run_results = json.loads((target / "run_results.json").read_text())
        result.incremental_nodes = len(run_results["results"])
        if not result.incremental_build_success:
            result.failures["incremental build"] = unsuccessful_nodes(run_results)
        manifest = json.loads((target / "manifest.json").read_text())
        result.incremental_slowest_nodes = slowest_nodes(run_results, manifest=manifest)
        result.incremental_time_by_kind = time_by_kind(run_results, manifest)
        (target / "run_results_incremental_build.json").write_text(json.dumps(run_results))
    else:
        progress(f"scale {scale:g}: no incremental cycle above scale {incremental_max_scale:g}")
        result.incremental_skipped = True

    result.warehouse_bytes = os.path.getsize(path)

    # Last, dbt's own overhead, from where the full build started: the raw data and the seeds, so the
    # empty build creates each table as the full build did. On the built warehouse each model would
    # instead replace the table the builds filled (rename, then drop it: at scale 10 its models took
    # 15.6 s of thread time against 12.3 s from the raw data), and build minus empty build would
    # undercount the data's time.
    progress(f"scale {scale:g}: dbt build --empty (dbt's own overhead) from the raw data and the seeds")
    reset_to_raw(str(path))
    subprocess.run([dbt, "seed", "--full-refresh", *common], cwd=REPO, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    result.empty_build_seconds, _, code = _run_measured(
        [dbt, "build", "--empty", *common], env, workdir / f"empty_scale_{scale:g}.log")
    result.empty_build_success = code == 0
    if not result.empty_build_success:
        result.failures["empty build"] = unsuccessful_nodes(json.loads((target / "run_results.json").read_text()))
    return result


def short_name(unique_id: str) -> str:
    """model.project.name -> name; a data test's id without the hash dbt appends."""
    parts = unique_id.split(".")
    if parts[0] == "test" and len(parts) > 3:
        parts = parts[:-1]
    return ".".join(parts[2:]) or unique_id


def _nodes_costing(nodes: list[dict], count: int = 3) -> str:
    return ", ".join(f"{short_name(n['node'])} {n['seconds']:.1f} s ({n.get('kind', 'kind unknown')})"
                     for n in nodes[:count])


def why_data_time_missed(r: ScaleResult) -> str:
    text = (f"why: {r.data_seconds:.0f} s of data time against {r.lower_bound_seconds:.1f} s to copy the raw "
            f"tables once; the slowest nodes: {_nodes_costing(r.slowest_nodes)}")
    if r.time_by_kind:
        kind, entry = next(iter(r.time_by_kind.items()))
        total = sum(v["seconds"] for v in r.time_by_kind.values())
        text += f"; the costliest kind, {kind} ({entry['nodes']} nodes), takes {entry['seconds']:.0f} of {total:.0f} s"
    return text


def why_overhead_missed(r: ScaleResult) -> str:
    return (f"why: the empty build ran {r.nodes} nodes in {r.empty_build_seconds:.1f} s with no data: dbt's own "
            "cost, start-up included")


def why_incremental_missed(r: ScaleResult) -> str:
    reasons = []
    if r.incremental_floor is not None and r.incremental_floor > TARGET_INCREMENTAL_SHARE:
        runs = (f"{r.incremental_nodes} of the {r.nodes} nodes (all but the unit tests)" if r.incremental_nodes
                else f"all {r.nodes} nodes")
        reasons.append(f"the incremental build runs {runs}, and dbt's own overhead for them "
                       f"({r.incremental_overhead_seconds:.1f} s, from the empty build) is already "
                       f"{100 * r.incremental_floor:.1f}% of the full build")
    if r.incremental_data_share is not None:
        reasons.append(f"beyond that overhead it spent {100 * r.incremental_data_share:.1f}% of the full build's "
                       "data time")
    if r.incremental_slowest_nodes:
        reasons.append(f"its slowest nodes: {_nodes_costing(r.incremental_slowest_nodes)}")
    return "why: " + "; ".join(reasons) if reasons else "why: not measured"


def why_failed(r: ScaleResult, build: str) -> str:
    failures = r.failures.get(build) or {}
    failed = failures.get("failed") or []
    named = "; ".join(f"{short_name(n['node'])} ({n['status']}: {n['message']})" for n in failed[:3])
    more = f" and {len(failed) - 3} more" if len(failed) > 3 else ""
    return (f"the {build} at scale {r.scale:g} failed: {named or 'dbt exited with an error'}{more}; "
            f"{failures.get('skipped', 0)} nodes skipped")


def why_growth_missed(small: ScaleResult, large: ScaleResult) -> str:
    grown = sorted(((large.node_seconds[node] - seconds, node, seconds, large.node_seconds[node])
                    for node, seconds in small.node_seconds.items() if node in large.node_seconds), reverse=True)
    text = ("why: the nodes that grew most: " + ", ".join(
        f"{short_name(node)} {before:.1f} s -> {after:.1f} s" for _, node, before, after in grown[:3])
        if grown else "why: no per-node times to compare")
    if small.threads and large.threads and small.threads != large.threads:
        text += (f"; scale {large.scale:g} ran on {large.threads} dbt thread(s), scale {small.scale:g} on "
                 f"{small.threads}")
        # the nodes' own seconds, summed over the threads, grow apart from what the threads overlapped
        summed_small, summed_large = sum(small.node_seconds.values()), sum(large.node_seconds.values())
        if summed_small:
            text += (f": summed over the threads the nodes took {summed_small:.0f} s and {summed_large:.0f} s "
                     f"({summed_large / summed_small:.1f}x)")
    return text


def _threads(r: ScaleResult) -> str:
    return f"{r.threads} thread{'s' if r.threads != 1 else ''}" if r.threads else "dbt's threads"


def to_markdown(results: list[ScaleResult], machine: str) -> str:
    def f(x, fmt="{:.1f}"):
        return "n/a" if x is None else fmt.format(x)

    def generated(r: ScaleResult) -> str:
        return "reused" if r.reused_warehouse else f"{r.generate_seconds:.1f}"

    lines = [f"Machine: {machine}", "",
             "| scale | generate s | raw rows | raw MB | lower bound s | dbt build s | peak RSS MB | empty build s "
             "| nodes | data time / lower bound | overhead ms/node | warehouse MB | build ok | empty build ok "
             "| seed |",
             "|" + "---|" * 15]
    for r in results:
        lines.append(
            f"| {r.scale:g} | {generated(r)} | {r.raw_rows:,} | {r.raw_bytes / 2**20:.0f} | "
            f"{r.lower_bound_seconds:.2f} | {r.build_seconds:.1f} | {r.build_peak_rss_mb:.0f} | "
            f"{r.empty_build_seconds:.1f} | {r.nodes} | {f(r.data_over_lower_bound)}x | "
            f"{f(r.overhead_ms_per_node, '{:.0f}')} | {r.warehouse_bytes / 2**20:.0f} | {r.build_success} | "
            f"{r.empty_build_success} | {r.seed} |")
    lines += ["", "| scale | append 1 day s | rows appended | incremental dbt build s | incremental / full "
              "| floor: dbt overhead for its nodes / full | data time: incremental / full | incremental build ok |",
              "|" + "---|" * 8]
    for r in results:
        floor = f"{f(r.incremental_floor and 100 * r.incremental_floor)}%"
        if r.incremental_skipped:
            lines.append(f"| {r.scale:g} | skipped | | | | {floor} | | |")
            continue
        data_share = r.incremental_data_share
        lines.append(f"| {r.scale:g} | {r.append_seconds:.1f} | {r.appended_rows:,} | "
                     f"{r.incremental_build_seconds:.1f} | {f(r.incremental_share and 100 * r.incremental_share)}% | "
                     f"{floor} | {f(None if data_share is None else 100 * data_share)}% | "
                     f"{r.incremental_build_success} |")
    lines += ["", "Targets:", ""]
    for r in results:
        for label, value, target, unit, why, builds in (
            ("data time / lower bound", r.data_over_lower_bound, TARGET_DATA_OVER_LOWER_BOUND, "x",
             why_data_time_missed, ("build", "empty build")),
            ("overhead per node", r.overhead_ms_per_node, TARGET_OVERHEAD_MS_PER_NODE, " ms", why_overhead_missed,
             ("empty build",)),
            ("incremental build / full build", r.incremental_share and 100 * r.incremental_share,
             100 * TARGET_INCREMENTAL_SHARE, "%", why_incremental_missed,
             ("build", "incremental build", "empty build")),
        ):
            failed = r.failed_builds(*builds)
            if value is not None and failed:
                verdict = f"NOT MEASURED: the {' and the '.join(failed)} failed"
            else:
                verdict = "n/a" if value is None else ("met" if value <= target else "MISSED")
            shown = "n/a" if value is None else f"{f(value)}{unit}"
            lines.append(f"- scale {r.scale:g}, {label}: {shown} (target <= {target:g}{unit}): {verdict}")
            if verdict == "MISSED":
                lines.append(f"  - {why(r)}")
            elif value is not None and failed:
                lines += [f"  - {why_failed(r, build)}" for build in failed]
    by_scale = {r.scale: r for r in results}
    for small, large, growth in build_growth(results):
        failed = [(r, "build") for r in (by_scale[small], by_scale[large]) if r.failed_builds("build")]
        verdict = ("NOT MEASURED: " + " and ".join(f"the build at scale {r.scale:g}" for r, _ in failed) + " failed"
                   if failed else "met" if growth <= TARGET_BUILD_GROWTH_PER_TENFOLD_SCALE else "MISSED")
        lines.append(f"- build time from scale {small:g} to scale {large:g}: {growth:.1f}x "
                     f"(target <= {TARGET_BUILD_GROWTH_PER_TENFOLD_SCALE:g}x): {verdict}")
        if verdict == "MISSED":
            lines.append(f"  - {why_growth_missed(by_scale[small], by_scale[large])}")
        lines += [f"  - {why_failed(r, build)}" for r, build in failed]
    for r in results:
        lines += ["", f"Where the build's time goes at scale {r.scale:g} (summed over {_threads(r)}):", "",
                  "| kind of node | nodes | seconds |", "|---|---|---|"]
        lines += [f"| {kind} | {v['nodes']} | {v['seconds']:.1f} |" for kind, v in r.time_by_kind.items()]
        lines += ["", f"Slowest nodes at scale {r.scale:g}:", "", "| node | kind | seconds |", "|---|---|---|"]
        lines += [f"| {n['node']} | {n.get('kind', '')} | {n['seconds']} |" for n in r.slowest_nodes]
        if r.incremental_time_by_kind:
            lines += ["", f"Where the incremental build's time goes at scale {r.scale:g} (one appended day, "
                      f"summed over {_threads(r)}):", "", "| kind of node | nodes | seconds |", "|---|---|---|"]
            lines += [f"| {kind} | {v['nodes']} | {v['seconds']:.1f} |"
                      for kind, v in r.incremental_time_by_kind.items()]
            lines += ["", f"Slowest nodes of the incremental build at scale {r.scale:g}:", "",
                      "| node | kind | seconds |", "|---|---|---|"]
            lines += [f"| {n['node']} | {n.get('kind', '')} | {n['seconds']} |" for n in r.incremental_slowest_nodes]
    return "\n".join(lines) + "\n"


def run(scales: list[float], seed: int, out_dir: str, memory_limit: str,
        incremental_max_scale: float = 10.0, warehouse: str | None = None) -> list[ScaleResult]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)

    def progress(msg: str) -> None:
        print(f"[bench] {msg}", file=sys.stderr, flush=True)

    machine = f"{platform.node()} {os.cpu_count()} cores, {_memory_gb():.0f} GiB, DuckDB memory_limit {memory_limit}"
    results: list[ScaleResult] = []
    if warehouse:
        scales = [0.0]  # read from the warehouse
    for scale in scales:
        results.append(bench_scale(scale, seed, out / "work", memory_limit, progress, incremental_max_scale,
                                   warehouse))
        # written after every scale: a long run stopped at a larger scale keeps the smaller ones
        (out / "bench.json").write_text(json.dumps(
            {"machine": machine, "results": [dict(asdict(r), data_seconds=r.data_seconds,
                                                  data_over_lower_bound=r.data_over_lower_bound,
                                                  overhead_ms_per_node=r.overhead_ms_per_node,
                                                  incremental_share=r.incremental_share,
                                                  incremental_data_share=r.incremental_data_share,
                                                  incremental_floor=r.incremental_floor) for r in results]},
            indent=2))
        markdown = to_markdown(results, machine)
        (out / "bench.md").write_text(markdown)
    print(markdown)
    for r in results:
        failed = r.failed_builds("build", "empty build") + ([] if r.incremental_skipped else
                                                            r.failed_builds("incremental build"))
        print(f"scale {r.scale:g}: data time / lower bound = {r.data_over_lower_bound or 0:.1f}x, "
              f"overhead = {r.overhead_ms_per_node or 0:.0f} ms per node, "
              + ("no incremental cycle" if r.incremental_skipped else
                 f"incremental build = {100 * (r.incremental_share or 0):.1f}% of the full build")
              + (f" (NOT MEASURED: the {' and the '.join(failed)} failed)" if failed else ""))
    for small, large, growth in build_growth(results):
        print(f"build time from scale {small:g} to scale {large:g}: {growth:.1f}x")
    return results


def _memory_gb() -> float:
    try:
        with open("/proc/meminfo") as fh:
            return int(fh.readline().split()[1]) / 2**20
    except OSError:
        return 0.0
