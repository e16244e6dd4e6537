"""The project on PostgreSQL: a throwaway local server, the raw-data export and the access setup.

- `start_server` / `stop_server`: a disposable PostgreSQL cluster in a folder (initdb, pg_ctl), listening
  on 127.0.0.1 only, for development and tests (`make postgres-up`, tools/tests/test_postgres.py). As
  root it runs the server as the `postgres` system user, since PostgreSQL refuses to run as root.
- `export_raw`: copies the raw_* schemas (and optionally `truth`) of a generated DuckDB file into
  Postgres with the same column types, by COPY FROM STDIN (`revops export-postgres`).
- `setup_access`: the five access roles and the PII salt table (`revops postgres-setup`), idempotent.

Every connection setting comes from the environment variables the dbt profile reads (POSTGRES_HOST,
POSTGRES_PORT, POSTGRES_USER, POSTGRES_DB, DBT_ENV_SECRET_POSTGRES_PASSWORD); the salt comes from
DBT_ENV_SECRET_PII_SALT and is only ever sent as a bound query parameter, so it never appears in SQL
text, dbt's compiled files or logs.
"""
from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

__all__ = [
    "ACCESS_ROLES",
    "PostgresSettings",
    "SALT_ENV_VAR",
    "SALT_SCHEMA",
    "SALT_TABLE",
    "ServerHandle",
    "connect",
    "export_raw",
    "find_server_binaries",
    "free_port",
    "postgres_type",
    "setup_access",
    "start_server",
    "stop_server",
]

# The roles of the RevOps team. dbt's `grants` (dbt_project.yml) give them SELECT on marts; the dbt user
# owns everything it builds. They are group roles (NOLOGIN): people log in as members of them.
ACCESS_ROLES = ("revops_admin", "finance", "sales", "marketing", "bi_reader")
SALT_ENV_VAR = "DBT_ENV_SECRET_PII_SALT"
SALT_SCHEMA = "restricted"
SALT_TABLE = "pii_salt"
SERVER_SUPERUSER = "postgres"

_TYPES = {
    "VARCHAR": "text",
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "SMALLINT": "smallint",
    "DOUBLE": "double precision",
    "FLOAT": "real",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamp with time zone",
    "TIME": "time",
}


@dataclass(frozen=True)
class PostgresSettings:
    host: str = "127.0.0.1"
    port: int = 5432
    user: str = "revops_admin"
    password: str = ""
    dbname: str = "revops"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> PostgresSettings:
        """The same variables and defaults as profiles/profiles.yml's `postgres` output."""
        env = os.environ if environ is None else environ
        return cls(
            host=env.get("POSTGRES_HOST", "127.0.0.1"),
            port=int(env.get("POSTGRES_PORT", "5432")),
            user=env.get("POSTGRES_USER", "revops_admin"),
            password=env.get("DBT_ENV_SECRET_POSTGRES_PASSWORD", ""),
            dbname=env.get("POSTGRES_DB", "revops"),
        )

    def env(self) -> dict[str, str]:
        """These settings as the environment variables the profile and the tools read."""
        return {
            "POSTGRES_HOST": self.host,
            "POSTGRES_PORT": str(self.port),
            "POSTGRES_USER": self.user,
            "POSTGRES_DB": self.dbname,
            "DBT_ENV_SECRET_POSTGRES_PASSWORD": self.password,
        }


def connect(settings: PostgresSettings, **overrides):
    import psycopg2

    params = {
        "host": settings.host,
        "port": settings.port,
        "user": settings.user,
        "password": settings.password,
        "dbname": settings.dbname,
    }
    params.update(overrides)
    return psycopg2.connect(**params)


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def postgres_type(duckdb_type: str) -> str:
    """The Postgres column type holding the same values as a DuckDB column type."""
    upper = duckdb_type.upper()
    if upper in _TYPES:
        return _TYPES[upper]
    if upper.startswith("DECIMAL"):
        return "numeric" + upper[len("DECIMAL"):].lower()
    raise ValueError(f"no Postgres type for DuckDB type {duckdb_type}")


def export_raw(
    duckdb_path: str | Path,
    settings: PostgresSettings,
    include_truth: bool = False,
    progress: bool = True,
) -> dict[str, int]:
    """Replaces every raw_* table (and `truth` when asked) in Postgres with the DuckDB file's copy.

    Each table is dropped and created with the same columns and types, then filled with COPY FROM
    STDIN in CSV format (DuckDB writes NULL as an empty field and an empty string as ""). The whole
    export is one transaction: a failure leaves Postgres as it was. Returns rows per table.
    """
    source = duckdb.connect(str(duckdb_path), read_only=True)
    counts: dict[str, int] = {}
    try:
        schemas = [
            row[0]
            for row in source.execute(
                "select distinct table_schema from information_schema.tables "
                "where table_schema like 'raw\\_%' escape '\\' or (? and table_schema = 'truth') "
                "order by 1",
                [include_truth],
            ).fetchall()
        ]
        if not schemas:
            raise ValueError(f"{duckdb_path} holds no raw_* schema: run `revops generate` first")
        target = connect(settings)
        try:
            with target, target.cursor() as cursor, tempfile.TemporaryDirectory() as scratch:
                for schema in schemas:
                    cursor.execute(f"create schema if not exists {_quote(schema)}")
                    tables = source.execute(
                        "select table_name from information_schema.tables where table_schema = ? order by 1",
                        [schema],
                    ).fetchall()
                    for (table,) in tables:
                        counts[f"{schema}.{table}"] = _copy_table(source, cursor, schema, table, Path(scratch))
                        if progress:
                            print(f"  {schema}.{table}: {counts[f'{schema}.{table}']:,} rows")
        finally:
            target.close()
    finally:
        source.close()
    return counts


def _copy_table(source, cursor, schema: str, table: str, scratch: Path) -> int:
    columns = source.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, table],
    ).fetchall()
    qualified = f"{_quote(schema)}.{_quote(table)}"
    column_sql = ", ".join(f"{_quote(name)} {postgres_type(kind)}" for name, kind in columns)
    cursor.execute(f"drop table if exists {qualified} cascade")
    cursor.execute(f"create table {qualified} ({column_sql})")
    csv_path = scratch / f"{schema}.{table}.csv"
    source.execute(
        f"copy (select * from {qualified}) to '{csv_path}' (format csv, header false, "
        "timestampformat '%Y-%m-%d %H:%M:%S.%f', dateformat '%Y-%m-%d')"
    )
    column_list = ", ".join(_quote(name) for name, _ in columns)
    with open(csv_path, encoding="utf-8") as handle:
        cursor.copy_expert(f"copy {qualified} ({column_list}) from stdin with (format csv)", handle)
    csv_path.unlink()
    (rows,) = source.execute(f"select count(*) from {qualified}").fetchone()
    return int(rows)


def setup_access(settings: PostgresSettings, salt: str | None, roles: tuple[str, ...] = ACCESS_ROLES) -> None:
    """Idempotent: creates the access roles that do not exist yet (needs CREATEROLE only then) and
    the restricted schema with the PII salt table, readable by its owner (the dbt user) alone.

    The salt is written as a bound parameter. An empty or missing salt is refused: an unsalted
    sha256 of an email is one dictionary lookup away from the email.
    """
    if not salt:
        raise ValueError(f"{SALT_ENV_VAR} is empty: set it to a long random secret")
    connection = connect(settings)
    try:
        with connection, connection.cursor() as cursor:
            for role in roles:
                cursor.execute("select 1 from pg_roles where rolname = %s", [role])
                if cursor.fetchone() is None:
                    cursor.execute(f"create role {_quote(role)} nologin")
            cursor.execute(f"create schema if not exists {_quote(SALT_SCHEMA)}")
            cursor.execute(f"revoke all on schema {_quote(SALT_SCHEMA)} from public")
            salt_table = f"{_quote(SALT_SCHEMA)}.{_quote(SALT_TABLE)}"
            cursor.execute(f"create table if not exists {salt_table} (salt text not null)")
            cursor.execute(f"revoke all on {salt_table} from public")
            cursor.execute(f"delete from {salt_table}")
            cursor.execute(f"insert into {salt_table} (salt) values (%s)", [salt])
    finally:
        connection.close()


def write_duckdb_salt(duckdb_path: str | Path, salt: str | None) -> None:
    """The same salt table in a DuckDB file (DuckDB has no roles: whoever reads the file reads it)."""
    if not salt:
        raise ValueError(f"{SALT_ENV_VAR} is empty: set it to a long random secret")
    connection = duckdb.connect(str(duckdb_path))
    try:
        connection.execute(f"create schema if not exists {SALT_SCHEMA}")
        connection.execute(f"create or replace table {SALT_SCHEMA}.{SALT_TABLE} (salt varchar not null)")
        connection.execute(f"insert into {SALT_SCHEMA}.{SALT_TABLE} values (?)", [salt])
    finally:
        connection.close()


# --- a throwaway local server -------------------------------------------------------------------------


@dataclass(frozen=True)
class ServerHandle:
    directory: Path
    port: int
    bin_dir: Path

    @property
    def data_dir(self) -> Path:
        return self.directory / "data"

    @property
    def socket_dir(self) -> Path:
        return self.directory / "socket"


def find_server_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl: POSTGRES_BIN_DIR, PATH, or Debian's newest version."""
    candidates = []
    if os.environ.get("POSTGRES_BIN_DIR"):
        candidates.append(Path(os.environ["POSTGRES_BIN_DIR"]))
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        versions = sorted((p for p in debian.iterdir() if p.name.isdigit()), key=lambda p: int(p.name), reverse=True)
        candidates.extend(p / "bin" for p in versions)
    for candidate in candidates:
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run the command as the `postgres` system user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def start_server(
    directory: str | Path, settings: PostgresSettings, bin_dir: Path | None = None, timeout: float = 60
) -> ServerHandle:
    """A fresh cluster in `directory` (which must not hold one yet) on 127.0.0.1:settings.port, with
    the login role settings.user (password settings.password, CREATEROLE to make the access roles)
    owning database settings.dbname. Password (scram) authentication on TCP; the superuser can only
    come in through the unix socket in the folder."""
    bin_dir = bin_dir or find_server_binaries()
    if bin_dir is None:
        raise FileNotFoundError("PostgreSQL server binaries (initdb, pg_ctl) not found: install `postgresql`")
    handle = ServerHandle(Path(directory).resolve(), settings.port, bin_dir)
    handle.directory.mkdir(parents=True, exist_ok=True)
    handle.socket_dir.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(handle.directory, "postgres")
        shutil.chown(handle.socket_dir, "postgres")
        # The postgres user must be able to reach the folder.
        handle.directory.chmod(0o755)
    if os.geteuid() == 0:
        blocked = [str(p) for p in handle.directory.parents if not os.stat(p).st_mode & 0o001]
        if blocked:
            raise PermissionError(f"the postgres system user cannot reach {handle.directory} ({blocked} closed)")
    _run(
        _as_server_user([
            str(bin_dir / "initdb"), "-D", str(handle.data_dir), "-U", SERVER_SUPERUSER, "--auth-local=trust",
            "--auth-host=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        ])
    )
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={settings.port} -c unix_socket_directories={handle.socket_dir} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c timezone=UTC"
    )
    try:
        _run(
            _as_server_user([
                str(bin_dir / "pg_ctl"), "-D", str(handle.data_dir), "-o", options, "-l",
                str(handle.directory / "server.log"), "-w", "-t", str(int(timeout)), "start",
            ])
        )
    except RuntimeError as error:
        raise RuntimeError(f"{error}\nserver log:\n{server_log_tail(handle.directory)}") from None
    _bootstrap(handle, settings, timeout)
    return handle


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        output = result.stderr.strip() or result.stdout.strip()
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}): {output}")


def _bootstrap(handle: ServerHandle, settings: PostgresSettings, timeout: float) -> None:
    import psycopg2

    deadline = time.monotonic() + timeout
    while True:
        try:
            superuser = psycopg2.connect(
                host=str(handle.socket_dir), port=handle.port, user=SERVER_SUPERUSER, dbname="postgres"
            )
            break
        except psycopg2.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    superuser.autocommit = True
    with superuser.cursor() as cursor:
        cursor.execute(
            f"create role {_quote(settings.user)} login createrole password %s", [settings.password or None]
        )
        cursor.execute(f"create database {_quote(settings.dbname)} owner {_quote(settings.user)}")
    superuser.close()


def superuser_connection(handle: ServerHandle, dbname: str = "postgres"):
    """The cluster's superuser, through the unix socket (tests use it to add login users)."""
    import psycopg2

    connection = psycopg2.connect(host=str(handle.socket_dir), port=handle.port, user=SERVER_SUPERUSER, dbname=dbname)
    connection.autocommit = True
    return connection


def stop_server(directory: str | Path, bin_dir: Path | None = None, remove: bool = True) -> None:
    directory = Path(directory).resolve()
    bin_dir = bin_dir or find_server_binaries()
    if bin_dir is not None and (directory / "data" / "postmaster.pid").exists():
        subprocess.run(
            _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(directory / "data"), "-m", "fast", "-w", "stop"]),
            check=False,
            capture_output=True,
        )
    if remove and directory.exists():
        shutil.rmtree(directory)


def server_log_tail(directory: str | Path, lines: int = 40) -> str:
    log = Path(directory) / "server.log"
    if not log.exists():
        return ""
    return "".join(io.StringIO(log.read_text(errors="replace")).readlines()[-lines:])
