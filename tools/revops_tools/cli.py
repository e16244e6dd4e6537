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
    gen.add_argument("--quiet", action="store_true", help="no progress output")

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
    bench.add_argument("--memory-limit", default="16GB", help="DuckDB memory_limit for the build (spills beyond)")

    args = parser.parse_args(argv)
    if args.command == "generate":
        from revops_tools.generator import generate

        generate(path=args.path, scale=args.scale, seed=args.seed, progress=not args.quiet)
        return 0
    if args.command == "check-structure":
        return _check_structure(args.manifest)
    if args.command == "check-landing":
        from revops_tools.landing import run_cli

        return run_cli(args.path, None if args.no_data_docs else args.data_docs_dir)
    if args.command == "bench":
        from revops_tools.bench import run

        results = run([float(x) for x in args.scales.split()], args.seed, args.out, args.memory_limit)
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
