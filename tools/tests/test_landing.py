"""The landing check (`revops check-landing`) passes a normal landing and stops a broken one.

A tiny warehouse is generated once for the module. Each broken landing is a copy of it, broken with
DuckDB SQL; the check must fail on exactly the broken table, with a message naming the table and
the problem.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
from pathlib import Path

import duckdb
import pytest

from revops_tools import cli
from revops_tools.generator import generate
from revops_tools.generator.schema import TABLES
from revops_tools.landing import LandingReport, check_landing, mostly


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("landing") / "warehouse.duckdb"
    generate(str(path), scale=0.02, seed=5, progress=False)
    return path


@pytest.fixture(scope="module")
def good_report(warehouse, tmp_path_factory) -> LandingReport:
    docs = tmp_path_factory.mktemp("landing_docs") / "landing_checks"
    return check_landing(str(warehouse), str(docs))


def broken(warehouse: Path, tmp_path: Path, *statements: str) -> LandingReport:
    """Checks a copy of the warehouse after running `statements` on it."""
    path = tmp_path / "broken.duckdb"
    shutil.copy(warehouse, path)
    con = duckdb.connect(str(path))
    for sql in statements:
        con.execute(sql)
    con.close()
    return check_landing(str(path), None)


def only_failure(report: LandingReport, table: str) -> str:
    assert not report.ok
    assert [t.table for t in report.failures] == [table], report.messages()
    return report.result(table).message()


def test_normal_landing_passes_every_table(good_report):
    assert good_report.ok, good_report.messages()
    assert [t.table for t in good_report.tables] == list(TABLES)
    assert all(t.rows and t.evaluated >= 6 and t.passed == t.evaluated for t in good_report.tables)


def test_normal_landing_has_the_injected_faults_the_check_tolerates(warehouse):
    # The tolerances are exercised, not idle: the tiny landing holds re-synced duplicates and bad codes.
    con = duckdb.connect(str(warehouse), read_only=True)
    dupes = con.execute("select count(*) - count(distinct id) from raw_salesforce.lead").fetchone()[0]
    bad_codes = con.execute(
        "select count(*) from raw_stripe.charge where lower(currency) not in ('usd','eur','gbp','jpy','cad','aud')"
    ).fetchone()[0]
    con.close()
    assert dupes > 0 and bad_codes > 0


def test_data_docs_are_built_as_html(good_report):
    assert good_report.data_docs_index and good_report.data_docs_index.startswith("file://")
    index = Path(good_report.data_docs_index.removeprefix("file://"))
    assert index.is_file()
    pages = list(index.parent.glob("validations/**/*.html"))
    assert len(pages) == len(TABLES)


def test_dropped_column_fails_naming_the_table_and_column(warehouse, tmp_path):
    report = broken(warehouse, tmp_path, "alter table raw_stripe.invoice drop column amount_due")
    assert only_failure(report, "raw_stripe.invoice") == "raw_stripe.invoice: missing columns ['amount_due']"


def test_renamed_column_fails_with_missing_and_unexpected_columns(warehouse, tmp_path):
    report = broken(warehouse, tmp_path, "alter table raw_stripe.invoice rename column amount_due to amount_owed")
    assert only_failure(report, "raw_stripe.invoice") == (
        "raw_stripe.invoice: missing columns ['amount_due']; unexpected columns ['amount_owed']")


def test_a_column_the_source_added_passes_with_a_note(warehouse, tmp_path):
    # source-contract.md: "A column may be added when a source really has it".
    report = broken(warehouse, tmp_path, "alter table raw_stripe.invoice add column footer varchar")
    assert report.ok, report.messages()
    assert report.result("raw_stripe.invoice").notes == ["columns beyond the contract ['footer']"]


def test_table_of_duplicated_rows_fails_on_id_uniqueness(warehouse, tmp_path):
    report = broken(warehouse, tmp_path, "insert into raw_salesforce.lead select * from raw_salesforce.lead")
    message = only_failure(report, "raw_salesforce.lead")
    assert message == "raw_salesforce.lead: id is unique for only 0.0% of rows (expected >= 97%)"


def test_history_table_of_duplicated_versions_fails_on_its_compound_key(warehouse, tmp_path):
    report = broken(warehouse, tmp_path,
                    "insert into raw_stripe.subscription_item select * from raw_stripe.subscription_item")
    message = only_failure(report, "raw_stripe.subscription_item")
    assert message.startswith("raw_stripe.subscription_item: (id, _fivetran_start) is unique for only 0.0% of rows")


def test_missing_table_fails(warehouse, tmp_path):
    report = broken(warehouse, tmp_path, "drop table raw_hubspot.email_event")
    assert only_failure(report, "raw_hubspot.email_event") == "raw_hubspot.email_event: table is missing"


def test_empty_table_fails(warehouse, tmp_path):
    report = broken(warehouse, tmp_path, "delete from raw_stripe.charge")
    assert only_failure(report, "raw_stripe.charge") == "raw_stripe.charge: table is empty (0 rows)"


def test_unknown_currency_codes_in_most_rows_fail(warehouse, tmp_path):
    report = broken(warehouse, tmp_path, "update raw_stripe.charge set currency = 'xyz' where hash(id) % 4 <> 0")
    message = only_failure(report, "raw_stripe.charge")
    match = re.fullmatch(r"raw_stripe\.charge: currency is a known currency code for only ([\d.]+)% of rows "
                         r"\(expected >= [\d.]+%\); e\.g\. \['xyz'\]", message)
    assert match and float(match.group(1)) < 50, message


def test_amounts_landed_as_decimals_fail_the_integer_type(warehouse, tmp_path):
    report = broken(warehouse, tmp_path, "alter table raw_stripe.invoice alter column total type double")
    assert only_failure(report, "raw_stripe.invoice") == (
        "raw_stripe.invoice: total is an integer, but its values are float64 (contract BIGINT)")


def test_epoch_seconds_instead_of_milliseconds_fail_the_range(warehouse, tmp_path):
    report = broken(warehouse, tmp_path,
                    "update raw_hubspot.contact set property_createdate = property_createdate // 1000")
    message = only_failure(report, "raw_hubspot.contact")
    assert "property_createdate is epoch ms between 2000 and 2100 for only 0.0% of rows" in message


def test_mostly_thresholds_tolerate_a_few_bad_rows_in_tiny_tables():
    assert mostly(0.97, 100_000) == 0.97
    assert mostly(0.97, 12) == pytest.approx(2 / 3, abs=1e-4)  # 4 bad rows of 12 allowed
    assert mostly(0.97, 2) == 0.5  # but never fewer than half the rows good


def test_cli_exits_0_on_a_usable_landing_and_1_naming_the_table_on_a_broken_one(warehouse, tmp_path, capsys):
    docs = tmp_path / "docs"
    assert cli.main(["check-landing", "--path", str(warehouse), "--data-docs-dir", str(docs)]) == 0
    out = capsys.readouterr().out
    assert len([line for line in out.splitlines() if line.startswith("ok   raw_")]) == len(TABLES)
    assert f"Data Docs: {(docs / 'index.html').as_uri()}" in out

    path = tmp_path / "broken.duckdb"
    shutil.copy(warehouse, path)
    con = duckdb.connect(str(path))
    con.execute("alter table raw_salesforce.opportunity drop column amount")
    con.close()
    assert cli.main(["check-landing", "--path", str(path), "--no-data-docs"]) == 1
    captured = capsys.readouterr()
    assert "raw_salesforce.opportunity: missing columns ['amount']" in captured.err
    assert "FAIL raw_salesforce.opportunity" in captured.out


def test_cli_exits_1_when_the_file_is_missing(tmp_path, capsys):
    assert cli.main(["check-landing", "--path", str(tmp_path / "nowhere.duckdb"), "--no-data-docs"]) == 1
    assert "no DuckDB file at" in capsys.readouterr().err


def test_great_expectations_stays_offline_and_writes_only_the_data_docs(warehouse, tmp_path, monkeypatch):
    cwd, home, docs = tmp_path / "cwd", tmp_path / "home", tmp_path / "out" / "docs"
    cwd.mkdir()
    home.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("HOME", str(home))

    def no_network(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    report = check_landing(str(warehouse), str(docs))
    assert report.ok
    assert os.environ["GX_ANALYTICS_ENABLED"] == "false"
    assert list(cwd.iterdir()) == [] and list(home.iterdir()) == []
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["docs"]
