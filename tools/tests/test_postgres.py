"""The project on PostgreSQL: build, access roles, personal data and the same marts as DuckDB.

One throwaway Postgres server per module (initdb in a temporary folder, 127.0.0.1 on a free port;
skipped only when the server binaries are missing and REQUIRE_POSTGRES is unset). A small warehouse
is generated (POSTGRES_TEST_SCALE, default 0.05, its own seed), its raw tables are exported to
Postgres and `dbt seed` + `dbt build --target postgres` run there (every model, seed, snapshot and
test). The same raw data is built on DuckDB (`dbt seed` + `dbt run`) for the comparison. Then:
- each access role, through a login user that is a member of it, reads what it needs and is refused
  the rest (every mart, staging, intermediate, reference, raw and the restricted salt table);
- no column bi_reader can read holds an email, a person's name or a phone number of the raw data;
- every mart has the same rows, keys and column totals on both engines (revops_tools.compare), to
  the cent (money quotients round exactly on both engines: macro money_quotient).
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import tempfile
from pathlib import Path

import duckdb
import pytest
from conftest import run_dbt

from revops_tools.compare import DuckDBEngine, PostgresEngine, compare_marts, primary_keys_from_manifest
from revops_tools.postgres import (
    ACCESS_ROLES,
    SALT_SCHEMA,
    SALT_TABLE,
    PostgresSettings,
    connect,
    export_raw,
    find_server_binaries,
    free_port,
    setup_access,
    start_server,
    stop_server,
    superuser_connection,
)

SCALE = float(os.environ.get("POSTGRES_TEST_SCALE", "0.05"))
SEED = int(os.environ.get("POSTGRES_TEST_SEED", "2718"))

# What each role needs (issue 10): finance the revenue, billing and cash marts, sales the funnel and
# pipeline marts, marketing the marketing marts; revops_admin everything. bi_reader is checked
# separately (only the scorecard and aggregate marts).
FOLDERS_BY_ROLE = {
    "finance": {"finance", "revenue", "scorecard"},
    "sales": {"funnel", "sales", "scorecard"},
    "marketing": {"marketing", "scorecard"},
}
# A column of one of these names identifies a person or a single record: no bi_reader mart has one.
PERSON_LEVEL_COLUMNS = {
    "owner_user_id", "user_id", "lead_id", "contact_id", "customer_id", "account_id", "opportunity_id",
    "owner_name", "email", "phone", "stripe_customer_id", "invoice_id", "subscription_id",
}


@pytest.fixture(scope="module")
def pg_server():
    bin_dir = find_server_binaries()
    if bin_dir is None:
        if os.environ.get("REQUIRE_POSTGRES"):
            pytest.fail("REQUIRE_POSTGRES is set but the PostgreSQL server binaries (initdb, pg_ctl) are missing")
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found: `make system-deps` installs postgresql")
    # Not under pytest's temporary folder (mode 700): as root the server runs as the postgres user.
    scratch = Path(tempfile.mkdtemp(prefix="revops-test-postgres-"))
    scratch.chmod(0o755)
    directory = scratch / "cluster"
    settings = PostgresSettings(port=free_port(), password=secrets.token_hex(16), dbname="revops_test")
    handle = start_server(directory, settings, bin_dir=bin_dir)
    try:
        yield settings, handle
    finally:
        stop_server(directory, bin_dir=bin_dir)
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture(scope="module")
def raw_warehouse(tmp_path_factory) -> Path:
    from revops_tools.generator import generate

    path = tmp_path_factory.mktemp("postgres_raw") / "raw.duckdb"
    generate(str(path), scale=SCALE, seed=SEED, progress=False)
    return path


def _failures(result) -> str:
    return "\n".join(
        f"{r.node.unique_id}: {r.status} {r.message}"
        for r in (result.result or [])
        if str(r.status) in ("error", "fail", "runtime error")
    ) or str(result.exception)


@pytest.fixture(scope="module")
def pg_built(pg_server, raw_warehouse, tmp_path_factory):
    """Raw data exported, roles and salt set up, `dbt seed` and `dbt build` on Postgres."""
    settings, handle = pg_server
    salt = secrets.token_hex(16)
    saved = {key: os.environ.get(key) for key in [*settings.env(), "DBT_ENV_SECRET_PII_SALT"]}
    os.environ.update(settings.env())
    os.environ["DBT_ENV_SECRET_PII_SALT"] = salt
    try:
        export_raw(raw_warehouse, settings, progress=False)
        setup_access(settings, salt)
        target = tmp_path_factory.mktemp("postgres_dbt")
        seeded = run_dbt(["seed", "--full-refresh", "--target", "postgres"], raw_warehouse, target)
        assert seeded.success, f"dbt seed on Postgres failed:\n{_failures(seeded)}"
        built = run_dbt(["build", "--target", "postgres"], raw_warehouse, target)
        assert built.success, f"dbt build on Postgres failed:\n{_failures(built)}"
        yield {"settings": settings, "handle": handle, "salt": salt, "target": target}
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="module")
def duckdb_built(raw_warehouse, tmp_path_factory) -> Path:
    """The same raw data built on DuckDB (models only: DuckDB's own tests run in the main suite)."""
    path = tmp_path_factory.mktemp("postgres_duckdb") / "warehouse.duckdb"
    shutil.copy(raw_warehouse, path)
    target = path.parent / "dbt"
    seeded = run_dbt(["seed", "--full-refresh", "--target", "duckdb"], path, target)
    assert seeded.success, f"dbt seed on DuckDB failed:\n{_failures(seeded)}"
    ran = run_dbt(["run", "--target", "duckdb"], path, target)
    assert ran.success, f"dbt run on DuckDB failed:\n{_failures(ran)}"
    return path


@pytest.fixture(scope="module")
def manifest(pg_built) -> dict:
    return json.loads((pg_built["target"] / "manifest.json").read_text())


@pytest.fixture(scope="module")
def marts(manifest) -> dict[str, dict]:
    """Mart name -> its manifest node (every model under models/marts)."""
    return {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["original_file_path"].startswith("models/marts/")
    }


def _folder(node: dict) -> str:
    return Path(node["original_file_path"]).parts[2]


@pytest.fixture(scope="module")
def role_logins(pg_built):
    """A login user per access role, member of it, as people would be (the roles themselves are NOLOGIN)."""
    settings, handle = pg_built["settings"], pg_built["handle"]
    password = secrets.token_hex(12)
    superuser = superuser_connection(handle)
    with superuser.cursor() as cursor:
        for role in ACCESS_ROLES:
            cursor.execute(f'create role "{role}_person" login password %s in role "{role}"', [password])
    superuser.close()
    connections = {role: connect(settings, user=f"{role}_person", password=password) for role in ACCESS_ROLES}
    for connection in connections.values():
        connection.autocommit = True
    yield connections
    for connection in connections.values():
        connection.close()


def _can_read(connection, relation: str) -> bool:
    import psycopg2

    try:
        with connection.cursor() as cursor:
            cursor.execute(f"select 1 from {relation} limit 1")
            cursor.fetchall()
        return True
    except psycopg2.errors.InsufficientPrivilege:
        return False


def _relations(pg_built, schemas_like: str) -> list[str]:
    connection = connect(pg_built["settings"])
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "select table_schema, table_name from information_schema.tables "
                "where table_schema like %s order by 1, 2",
                [schemas_like],
            )
            return [f'"{schema}"."{table}"' for schema, table in cursor.fetchall()]
    finally:
        connection.close()


def test_each_role_reads_its_marts_and_nothing_else(pg_built, role_logins, marts):
    assert len(marts) >= 30
    bi_reader_marts = {name for name, node in marts.items() if "bi_reader" in (node["config"].get("grants") or {}).get(
        "select", [])}
    for name, node in marts.items():
        relation = f'"{node["schema"]}"."{name}"'
        folder = _folder(node)
        for role, connection in role_logins.items():
            if role == "revops_admin":
                expected = True
            elif role == "bi_reader":
                expected = name in bi_reader_marts
            else:
                expected = folder in FOLDERS_BY_ROLE[role]
            assert _can_read(connection, relation) is expected, f"{role} reading {relation}: expected {expected}"
    closed = [
        *_relations(pg_built, "staging"),
        *_relations(pg_built, "intermediate"),
        *_relations(pg_built, "reference"),
        *_relations(pg_built, "raw\\_%"),
        f'"{SALT_SCHEMA}"."{SALT_TABLE}"',
    ]
    assert any("raw_salesforce" in relation for relation in closed) and any("staging" in r for r in closed)
    for relation in closed:
        assert _can_read(role_logins["revops_admin"], relation), relation
        for role in ("finance", "sales", "marketing", "bi_reader"):
            assert not _can_read(role_logins[role], relation), f"{role} can read {relation}"


def test_bi_reader_gets_the_scorecard_and_aggregates_only(marts):
    bi_reader_marts = {
        name: node for name, node in marts.items()
        if "bi_reader" in (node["config"].get("grants") or {}).get("select", [])
    }
    scorecard = {name for name, node in marts.items() if _folder(node) == "scorecard"}
    assert scorecard and scorecard <= set(bi_reader_marts)
    for name, node in bi_reader_marts.items():
        person_columns = PERSON_LEVEL_COLUMNS & set(node["columns"])
        assert not person_columns, f"bi_reader mart {name} has person- or record-level columns {person_columns}"


def test_no_personal_data_reaches_bi_reader(pg_built, role_logins, raw_warehouse):
    raw = duckdb.connect(str(raw_warehouse), read_only=True)
    try:
        names = {
            row[0].strip().lower()
            for row in raw.execute(
                """
                select first_name || ' ' || last_name from raw_salesforce.contact
                union all select first_name || ' ' || last_name from raw_salesforce.lead
                union all select property_firstname || ' ' || property_lastname from raw_hubspot.contact
                union all select name from raw_salesforce.user
                """
            ).fetchall()
            if row[0] and row[0].strip()
        }
        phones = {
            re.sub(r"\D", "", row[0])
            for row in raw.execute(
                "select phone from raw_salesforce.contact union all select phone from raw_salesforce.lead"
            ).fetchall()
            if row[0]
        }
    finally:
        raw.close()
    assert len(names) > 100 and len(phones) > 100
    connection = role_logins["bi_reader"]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            select namespaces.nspname, relations.relname, columns.attname
            from pg_class as relations
            inner join pg_namespace as namespaces on relations.relnamespace = namespaces.oid
            inner join pg_attribute as columns on relations.oid = columns.attrelid
            where
                relations.relkind in ('r', 'v', 'm', 'p')
                and columns.attnum > 0 and not columns.attisdropped
                and columns.atttypid in ('text'::regtype, 'varchar'::regtype)
                and namespaces.nspname not in ('pg_catalog', 'information_schema')
                and has_schema_privilege(%(role)s, namespaces.oid, 'usage')
                and has_table_privilege(%(role)s, relations.oid, 'select')
            """,
            {"role": "bi_reader"},
        )
        columns = cursor.fetchall()
    assert columns, "bi_reader reads no text column at all"
    checked = 0
    for schema, table, column in columns:
        with connection.cursor() as cursor:
            cursor.execute(f'select distinct "{column}" from "{schema}"."{table}" where "{column}" is not null')
            values = [row[0] for row in cursor.fetchall()]
        checked += len(values)
        for value in values:
            where = f"{schema}.{table}.{column} = {value!r}"
            assert "@" not in value, f"an email in {where}"
            assert value.strip().lower() not in names, f"a person's name in {where}"
            digits = re.sub(r"\D", "", value)
            assert not (len(digits) >= 7 and digits in phones), f"a phone number in {where}"
    assert checked > 0


def test_salt_is_readable_by_the_dbt_user_only(pg_built, role_logins):
    relation = f'"{SALT_SCHEMA}"."{SALT_TABLE}"'
    with role_logins["revops_admin"].cursor() as cursor:
        cursor.execute(f"select salt from {relation}")
        assert cursor.fetchall() == [(pg_built["salt"],)]
    for role in ("finance", "sales", "marketing", "bi_reader"):
        assert not _can_read(role_logins[role], relation)
    # The salt never reaches dbt's files: compiled SQL, run SQL, manifest, logs.
    for path in pg_built["target"].rglob("*"):
        if path.is_file() and path.suffix in (".sql", ".json", ".log", ".txt"):
            assert pg_built["salt"] not in path.read_text(errors="replace"), f"the salt is in {path}"


def test_person_key_hash_is_a_salted_sha256(pg_built, raw_warehouse):
    """The macro person_key_hash, compiled and run by dbt on Postgres, is sha256(salt || value) in hex;
    its compiled SQL reads the salt from the restricted table and never holds it."""
    import hashlib

    target = pg_built["target"]  # the build's own target dir: dbt re-parses only what changed
    shown = run_dbt(
        ["show", "--target", "postgres", "--inline",
         "select {{ person_key_hash(\"'jane.doe@example.com'\") }} as person_key"],
        raw_warehouse,
        target,
    )
    assert shown.success, _failures(shown)
    (row,) = shown.result.results[0].agate_table.rows
    expected = hashlib.sha256((pg_built["salt"] + "jane.doe@example.com").encode()).hexdigest()
    assert row[0] == expected
    assert row[0] != hashlib.sha256(b"jane.doe@example.com").hexdigest()
    for path in target.rglob("*"):
        if path.is_file():
            assert pg_built["salt"] not in path.read_text(errors="replace"), f"the salt is in {path}"


def test_marts_equal_duckdb(pg_built, duckdb_built, manifest, marts):
    keys = primary_keys_from_manifest(manifest)
    duck = duckdb.connect(str(duckdb_built), read_only=True)
    pg = connect(pg_built["settings"])
    try:
        report = compare_marts(DuckDBEngine(duck), PostgresEngine(pg), keys, schema="marts")
    finally:
        duck.close()
        pg.close()
    assert sorted(report.tables) == sorted(marts), "the compared tables are not the project's marts"
    assert sum(report.rows.values()) > 0
    assert not report.differences, "\n".join(report.differences)


def test_postgres_manifest_keeps_the_project_structure(manifest):
    """The structure rules hold on the Postgres build too (staging is a layer of tables there)."""
    from revops_tools.structure import check_manifest

    assert manifest["metadata"]["adapter_type"] == "postgres"
    assert check_manifest(manifest) == []
