"""The `revops` subcommands of the Postgres target (see revops_tools.postgres for what they do).

Connection settings come from the environment variables the dbt profile reads (POSTGRES_HOST,
POSTGRES_PORT, POSTGRES_USER, POSTGRES_DB, DBT_ENV_SECRET_POSTGRES_PASSWORD); the PII salt from
DBT_ENV_SECRET_PII_SALT. No secret is ever a command-line argument (it would show in `ps`).
"""
from __future__ import annotations

import argparse
import os
import sys

POSTGRES_COMMANDS = ("export-postgres", "postgres-setup", "write-salt", "postgres-up", "postgres-down")


def add_postgres_commands(sub) -> None:
    export = sub.add_parser("export-postgres", help="copy the raw_* tables of a DuckDB file into Postgres")
    export.add_argument("--path", default="warehouse.duckdb", help="DuckDB file written by `revops generate`")
    export.add_argument("--include-truth", action="store_true", help="also the generator's truth tables")
    export.add_argument("--quiet", action="store_true", help="no progress output")

    sub.add_parser(
        "postgres-setup",
        help="create the access roles and the restricted PII salt table in Postgres (idempotent)",
    )

    salt = sub.add_parser("write-salt", help="write the PII salt table into a DuckDB file")
    salt.add_argument("--path", default="warehouse.duckdb", help="DuckDB file")

    up = sub.add_parser("postgres-up", help="start a throwaway local Postgres server for development")
    up.add_argument("--dir", default=".postgres", help="folder for the cluster (must not hold one yet)")
    down = sub.add_parser("postgres-down", help="stop the throwaway server and delete its folder")
    down.add_argument("--dir", default=".postgres", help="folder of the cluster")
    down.add_argument("--keep", action="store_true", help="stop the server but keep its folder")


def run_postgres_command(args: argparse.Namespace) -> int:
    from revops_tools import postgres

    settings = postgres.PostgresSettings.from_env()
    try:
        if args.command == "export-postgres":
            counts = postgres.export_raw(args.path, settings, include_truth=args.include_truth, progress=not args.quiet)
            print(f"exported {len(counts)} tables, {sum(counts.values()):,} rows to {settings.host}:{settings.port}")
        elif args.command == "postgres-setup":
            postgres.setup_access(settings, os.environ.get(postgres.SALT_ENV_VAR))
            print(f"roles {', '.join(postgres.ACCESS_ROLES)} and {postgres.SALT_SCHEMA}.{postgres.SALT_TABLE} ready")
        elif args.command == "write-salt":
            postgres.write_duckdb_salt(args.path, os.environ.get(postgres.SALT_ENV_VAR))
            print(f"{postgres.SALT_SCHEMA}.{postgres.SALT_TABLE} written to {args.path}")
        elif args.command == "postgres-up":
            if not settings.password:
                raise ValueError("set DBT_ENV_SECRET_POSTGRES_PASSWORD: the server's login role needs a password")
            handle = postgres.start_server(args.dir, settings)
            print(f"Postgres listening on 127.0.0.1:{handle.port}, data in {handle.data_dir}")
        elif args.command == "postgres-down":
            postgres.stop_server(args.dir, remove=not args.keep)
            print(f"stopped the server in {args.dir}")
    except Exception as error:  # noqa: BLE001 - a command-line tool reports any failure as one line
        print(f"revops {args.command}: {error}", file=sys.stderr)
        return 1
    return 0
