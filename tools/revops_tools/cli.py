"""The `revops` command line: one entry point for the project's Python tooling."""
from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="revops", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    gen = sub.add_parser("generate", help="write raw source tables (and truth) into a DuckDB file")
    gen.add_argument("--path", default="warehouse.duckdb", help="DuckDB file to write")
    gen.add_argument("--scale", type=float, default=1.0, help="1 = about 2,000 customers, 50,000 leads")
    gen.add_argument("--seed", type=int, default=42)
    gen.add_argument("--end", default=None, help="last day of the story, YYYY-MM-DD (default 2026-10-31)")
    gen.add_argument("--jobs", type=int, default=None,
                     help="worker processes for a sharded scale (default: one per core, fewer if the shards' "
                          "expected peak memory would exceed 70%% of the available memory)")
    gen.add_argument("--shard-scale", type=float, default=None,
                     help="largest scale generated as one world; a larger scale is split into ceil(scale / "
                          "shard scale) business units (default: $REVOPS_SHARD_SCALE, else 2.5)")
    gen.add_argument("--quiet", action="store_true", help="no progress output")

    app = sub.add_parser("append", help="land the next N days of the same world into a generated warehouse")
    app.add_argument("--path", default="warehouse.duckdb", help="DuckDB file written by `revops generate`")
    app.add_argument("--days", type=int, default=1, help="how many days to append (default 1)")
    app.add_argument("--jobs", type=int, default=None, help="worker processes for a sharded world (see generate)")
    app.add_argument("--quiet", action="store_true", help="no progress output")

    structure = sub.add_parser(
        "check-structure", help="check naming, folders, docs, key tests and freshness in dbt's manifest"
    )
    structure.add_argument("--manifest", default="target/manifest.json", help="manifest.json of `dbt parse`")

    landing = sub.add_parser("check-landing", help="Great Expectations checks of the raw tables, before dbt runs")
    landing.add_argument("--path", default="warehouse.duckdb", help="DuckDB file to check (opened read-only)")
    landing.add_argument("--data-docs-dir", default="target/landing_checks", help="where the Data Docs HTML goes")
    landing.add_argument("--no-data-docs", action="store_true", help="skip building the Data Docs")

    bench = sub.add_parser("bench", help="benchmark generation and dbt build against DuckDB's own copy speed")
    bench.add_argument("--scales", default="1", help="space-separated scales, e.g. '1 10'")
    bench.add_argument("--seed", type=int, default=20260)
    bench.add_argument("--out", default="bench/results", help="where bench.json and bench.md go (git-ignored)")
    bench.add_argument("--warehouse", default=None,
                       help="measure this generated warehouse (scale and seed read from it; everything but its "
                            "raw data is dropped first) instead of generating; --scales and --seed are ignored")
    bench.add_argument("--memory-limit", default="16GB", help="DuckDB memory_limit for the build (spills beyond)")
    bench.add_argument("--incremental-max-scale", type=float, default=10.0,
                       help="append a day and time the incremental build only up to this scale (default 10)")

    publish = sub.add_parser("publish", help="copy the marts into the serving file BI tools read (atomic swap)")
    publish.add_argument("--path", default="warehouse.duckdb", help="the DuckDB file dbt built")
    publish.add_argument("--serving-path", default="serving.duckdb", help="the file BI tools open read-only")

    dashboard = sub.add_parser("dashboard", help="write the static HTML dashboard of the marts (one file)")
    dashboard.add_argument("--path", default="warehouse.duckdb", help="DuckDB file to read (opened read-only)")
    dashboard.add_argument("--out", default="target/dashboard/index.html", help="the HTML file to write")
    dashboard.add_argument("--project-dir", default=".", help="dbt project (its vars: currency, attribution)")
    dashboard.add_argument("--attribution-model", choices=["first_touch", "last_touch", "linear"], default=None,
                           help="attribution model of ROAS (default: var default_attribution_model)")

    parquet = sub.add_parser("export-parquet", help="write every raw table to Parquet for the Spark target")
    parquet.add_argument("--path", default="warehouse.duckdb", help="DuckDB file written by `revops generate`")
    parquet.add_argument("--out", default=None, help="folder to write (default: beside --path, *.raw_parquet)")
    parquet.add_argument("--include-truth", action="store_true", help="also the generator's truth tables")
    parquet.add_argument("--quiet", action="store_true", help="no progress output")

    from revops_tools.postgres_cli import POSTGRES_COMMANDS, add_postgres_commands

    add_postgres_commands(sub)

    args = parser.parse_args(argv)
    if args.command in POSTGRES_COMMANDS:
        from revops_tools.postgres_cli import run_postgres_command

        return run_postgres_command(args)
    if args.command == "dashboard":
        from revops_tools.dashboard import run_cli as dashboard_cli

        return dashboard_cli(args.path, args.out, args.project_dir, args.attribution_model)
    if args.command == "generate":
        from revops_tools.generator import END, generate

        end = END
        if args.end:
            from datetime import UTC, datetime

            end = datetime.strptime(args.end, "%Y-%m-%d").replace(hour=23, minute=59, second=59, tzinfo=UTC).timestamp()
        generate(path=args.path, scale=args.scale, seed=args.seed, progress=not args.quiet, end=end, jobs=args.jobs,
                 shard_scale=args.shard_scale)
        return 0
    if args.command == "append":
        from revops_tools.generator.append import AppendError, append

        try:
            append(args.path, days=args.days, progress=not args.quiet, jobs=args.jobs)
        except AppendError as exc:
            print(f"revops append: {exc}", file=sys.stderr)
            return 2
        return 0
    if args.command == "check-structure":
        return _check_structure(args.manifest)
    if args.command == "check-landing":
        from revops_tools.landing import run_cli

        return run_cli(args.path, None if args.no_data_docs else args.data_docs_dir)
    if args.command == "publish":
        from revops_tools.publish import run_cli as publish_cli

        return publish_cli(args.path, args.serving_path)
    if args.command == "export-parquet":
        from revops_tools.spark import export_parquet

        export_parquet(args.path, args.out, include_truth=args.include_truth, progress=not args.quiet)
        return 0
    if args.command == "bench":
        from revops_tools.bench import run

        results = run([float(x) for x in args.scales.split()], args.seed, args.out, args.memory_limit,
                      args.incremental_max_scale, args.warehouse)
        return 0 if all(r.build_success for r in results) else 1
    return 2


def _check_structure(manifest_path: str) -> int:
    from revops_tools.structure import check_manifest, load_manifest

    try:
        manifest = load_manifest(manifest_path)
    except FileNotFoundError:
        print(f"{manifest_path} not found: run `dbt parse` first", file=sys.stderr)
        return 2
    violations = check_manifest(manifest)
    if violations:
        print(f"{len(violations)} structure violation(s):")
        for violation in violations:
            print(f"  - {violation}")
        return 1
    print("structure ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
