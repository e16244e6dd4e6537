"""Great Expectations checks of the raw landing tables, run before dbt (`revops check-landing`).

Every raw table of the landing contract (`generator/schema.py`, TABLES) is read from the DuckDB file
(opened read-only), loaded into a pandas DataFrame and validated with an expectation suite built
from the contract: the columns, a non-empty table, complete and unique keys, column types, value
ranges and currency codes. The checks use Great Expectations' pandas datasource, because its SQL
datasource returns empty metrics on a DuckDB file (1.24 fetches after closing the connection).

The checks separate an unusable landing (a missing or renamed column, an empty table, a table of
duplicates, amounts landed as decimals) from the faults every real sync brings, which staging
handles: a few null keys, re-synced duplicate loads, unknown currency codes, negative quantities.
Hence the `mostly` thresholds below, which a normal landing passes. A tiny table may hold a couple
of such rows and still be a normal landing (two re-synced rows are 17% of a 12-row table), so every
`mostly` threshold tolerates up to SMALL_TABLE_ALLOWANCE bad rows, but never fewer than half the
rows good.

Great Expectations runs in an ephemeral context: stores in memory, no progress bars, no usage
statistics (GX_ANALYTICS_ENABLED=false), nothing written except the Data Docs site, if asked for.
"""
from __future__ import annotations

import math
import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from revops_tools.generator.schema import (
    BOOL,
    DATE,
    HISTORY,
    MS,
    NATURAL_KEYS,
    SFDATE,
    SFDT,
    SYNCED,
    TABLES,
    TS,
    B,
    D,
    I,
    V,
)

os.environ["GX_ANALYTICS_ENABLED"] = "false"

__all__ = ["LandingError", "LandingReport", "TableResult", "build_expectations", "check_landing", "mostly", "run_cli"]

DEFAULT_DATA_DOCS_DIR = "target/landing_checks"
SITE_NAME = "landing_checks"

# Thresholds: share of rows (non-null rows, for value checks) that must pass.
KEY_NOT_NULL = 0.99
KEY_UNIQUE = 0.97
VALUES = 0.99
CURRENCY = 0.99
SMALL_TABLE_ALLOWANCE = 4  # bad rows any table may hold: two re-synced records, or two null keys
LOWEST_MOSTLY = 0.5

HISTORY_TABLES = {t for t, cols in TABLES.items() if HISTORY[0] in cols}
HISTORY_KEY = ("id", "_fivetran_start")
CURRENCY_COLUMNS = {"currency", "currency_iso_code", "currency_code"}
KNOWN_CURRENCIES = ("usd", "eur", "gbp", "jpy", "cad", "aud")
CURRENCY_REGEX = "(?i)^(?:" + "|".join(KNOWN_CURRENCIES) + ")$"

# HubSpot epoch milliseconds: 2000-01-01 .. 2100-01-01. Seconds or microseconds fall outside.
EPOCH_MS_MIN, EPOCH_MS_MAX = 946_684_800_000, 4_102_444_800_000

# pandas dtypes accepted for each contract type (VARCHAR is checked apart, see _string_type_problems).
_INTS = ["int64", "int32", "int16", "int8", "Int64Dtype", "Int32Dtype", "Int16Dtype", "Int8Dtype"]
_FLOATS = ["float64", "float32", "Float64Dtype", "Float32Dtype"]
_DATETIMES = ["datetime64[us]", "datetime64[ns]", "datetime64[ms]", "datetime64[s]"]
PANDAS_TYPES: dict[str, list[str]] = {
    B: _INTS, I: _INTS, MS: _INTS,
    D: _FLOATS + _INTS,
    BOOL: ["bool", "BooleanDtype"],
    TS: _DATETIMES, DATE: _DATETIMES,
}
TYPE_WORDS = {B: "an integer", I: "an integer", MS: "an integer (epoch ms)", D: "a number",
              BOOL: "a boolean", TS: "a timestamp", DATE: "a date"}

# Stripe money that is never negative in a normal landing (invoice line items carry proration credits).
STRIPE_NON_NEGATIVE = {
    "raw_stripe.price": ["unit_amount"],
    "raw_stripe.coupon": ["amount_off"],
    "raw_stripe.invoice": ["subtotal", "tax", "total", "amount_due", "amount_paid", "amount_remaining"],
    "raw_stripe.charge": ["amount", "amount_refunded"],
    "raw_stripe.refund": ["amount"],
    "raw_stripe.credit_note": ["amount"],
}
QUANTITIES = {
    "raw_stripe.subscription_item": ["quantity"],
    "raw_stripe.invoice_line_item": ["quantity"],
    "raw_salesforce.opportunity_line_item": ["quantity"],
}
PERCENTAGES = {
    "raw_salesforce.opportunity": ["probability"],
    "raw_salesforce.opportunity_history": ["probability"],
    "raw_stripe.coupon": ["percent_off"],
}
AD_METRICS = {
    "raw_google_ads.campaign_stats": ["impressions", "clicks", "cost_micros", "conversions", "conversions_value"],
    "raw_facebook_ads.basic_campaign": ["impressions", "reach", "inline_link_clicks", "spend"],
    "raw_linkedin_ads.ad_analytics_by_campaign": ["impressions", "clicks", "cost_in_local_currency"],
}
# Value sets the source APIs fix (Salesforce picklists are left out: every org customises them).
ACCEPTED_VALUES = {
    "raw_stripe.subscription_history": {"status": ["trialing", "active", "past_due", "unpaid", "canceled",
                                                   "incomplete", "incomplete_expired", "paused"]},
    "raw_stripe.price": {"type": ["recurring", "one_time"], "recurring_interval": ["day", "week", "month", "year"],
                         "recurring_usage_type": ["licensed", "metered"]},
    "raw_stripe.coupon": {"duration": ["once", "repeating", "forever"]},
    "raw_stripe.invoice": {"status": ["draft", "open", "paid", "uncollectible", "void"]},
    "raw_stripe.charge": {"status": ["succeeded", "failed", "pending"]},
    "raw_stripe.credit_note": {"status": ["issued", "void"], "type": ["pre_payment", "post_payment"]},
    "raw_hubspot.email_event": {"type": ["SENT", "DELIVERED", "OPEN", "CLICK", "BOUNCE", "DROPPED", "SPAMREPORT",
                                         "UNSUBSCRIBED"]},
}


# ---------------------------------------------------------------------------------------------- results
@dataclass
class TableResult:
    """The outcome of one raw table's checks."""

    table: str
    rows: int | None = None  # None when the table is missing
    evaluated: int = 0
    passed: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # worth saying, not worth stopping the build
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    def message(self) -> str:
        return f"{self.table}: {'; '.join(self.problems)}"

    def summary(self) -> str:
        if self.rows is None:
            return f"FAIL {self.message()}"
        head = f"{self.table:<45} {self.rows:>10,} rows  {self.passed:>2}/{self.evaluated:<2} expectations passed"
        if self.ok:
            note = f"  note: {'; '.join(self.notes)}" if self.notes else ""
            return f"ok   {head}  ({self.seconds:.1f} s){note}"
        return f"FAIL {head}: {'; '.join(self.problems)}"


@dataclass
class LandingReport:
    """Every table's result, the Data Docs index (if built) and the time taken."""

    path: str
    tables: list[TableResult]
    data_docs_index: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.tables)

    @property
    def failures(self) -> list[TableResult]:
        return [t for t in self.tables if not t.ok]

    def messages(self) -> list[str]:
        return [t.message() for t in self.failures]

    def result(self, table: str) -> TableResult:
        return next(t for t in self.tables if t.table == table)


class LandingError(Exception):
    """The DuckDB file cannot be read at all."""


# ------------------------------------------------------------------------------------- expectations
def mostly(share: float, n_rows: int) -> float:
    """The `mostly` threshold for a table of n_rows: `share`, loosened for tiny tables (see module doc)."""
    if n_rows <= 0:
        return share
    return round(min(share, max(LOWEST_MOSTLY, 1 - SMALL_TABLE_ALLOWANCE / n_rows)), 4)


def _key_columns(table: str) -> tuple[str, ...]:
    if table in HISTORY_TABLES:
        return HISTORY_KEY
    return NATURAL_KEYS.get(table, ("id",))


def build_expectations(table: str, present: list[str], n_rows: int) -> list[Any]:
    """The expectations for one raw table, from the contract.

    `present` are the columns the landed table has: column-level expectations are made only for contract
    columns that are there (a missing column is reported once, by the column-set expectation). Each
    expectation's `meta` carries `label`, the words a failure message starts with.
    """
    import great_expectations.expectations as gxe

    contract = dict(TABLES[table])
    have = set(present)
    out: list[Any] = []

    def add(exp_cls, label: str, why: str, **kwargs) -> None:
        out.append(exp_cls(meta={"label": label}, description=f"{label} ({why})", **kwargs))

    # The contract allows a column a real source adds (source-contract.md); a missing one stops the build.
    add(gxe.ExpectTableColumnsToMatchSet, "columns match the contract",
        "names as in generator/schema.py, order free, added columns allowed", column_set=list(contract),
        exact_match=False)
    add(gxe.ExpectTableRowCountToBeBetween, "row count", "a landed table is never empty", min_value=1)

    # keys: complete and unique
    key = _key_columns(table)
    key_name = key[0] if len(key) == 1 else f"({', '.join(key)})"
    for c in key:
        if c in have:
            add(gxe.ExpectColumnValuesToNotBeNull, f"{c} is not null", "a few null keys are for staging to reject",
                column=c, mostly=mostly(KEY_NOT_NULL, n_rows))
    if all(c in have for c in key):
        why = "re-synced duplicate loads are for staging to drop"
        if len(key) == 1:
            add(gxe.ExpectColumnValuesToBeUnique, f"{key_name} is unique", why,
                column=key[0], mostly=mostly(KEY_UNIQUE, n_rows))
        else:
            add(gxe.ExpectCompoundColumnsToBeUnique, f"{key_name} is unique", why,
                column_list=list(key), mostly=mostly(KEY_UNIQUE, n_rows))

    # loader columns
    for c, _ in SYNCED + (HISTORY if table in HISTORY_TABLES else []):
        if c in have:
            add(gxe.ExpectColumnValuesToNotBeNull, f"{c} is not null", "the loader always sets it", column=c)

    # column types (VARCHAR columns are checked apart: GE cannot name pandas' string dtype)
    for c, t in contract.items():
        if c in have and t in PANDAS_TYPES:
            add(gxe.ExpectColumnValuesToBeInTypeList, f"{c} is {TYPE_WORDS[t]}",
                f"contract type {t}", column=c, type_list=PANDAS_TYPES[t])

    # value ranges
    def between(cols: list[str], label: str, why: str, **bounds) -> None:
        for c in cols:
            if c in have:
                add(gxe.ExpectColumnValuesToBeBetween, f"{c} {label}", why, column=c,
                    mostly=mostly(VALUES, n_rows), **bounds)

    between(STRIPE_NON_NEGATIVE.get(table, []), "is >= 0", "Stripe money in minor units", min_value=0)
    between(QUANTITIES.get(table, []), "is >= 0", "negative quantities are for staging to reject", min_value=0)
    between(PERCENTAGES.get(table, []), "is between 0 and 100", "a percentage", min_value=0, max_value=100)
    between(AD_METRICS.get(table, []), "is >= 0", "ad platform counts and spend", min_value=0)
    between([c for c, t in contract.items() if t == MS], "is epoch ms between 2000 and 2100",
            "HubSpot times are epoch milliseconds", min_value=EPOCH_MS_MIN, max_value=EPOCH_MS_MAX)
    if table.startswith("raw_salesforce.") and "id" in have:
        add(gxe.ExpectColumnValueLengthsToEqual, "id is 18 characters", "Salesforce ids are 18-character",
            column="id", value=18, mostly=mostly(VALUES, n_rows))
    for c, values in ACCEPTED_VALUES.get(table, {}).items():
        if c in have:
            add(gxe.ExpectColumnValuesToBeInSet, f"{c} is one of {values}", "the source API's values",
                column=c, value_set=values, mostly=mostly(VALUES, n_rows))
    for c in contract:
        if c in CURRENCY_COLUMNS and c in have:
            add(gxe.ExpectColumnValuesToMatchRegex, f"{c} is a known currency code",
                f"one of {', '.join(KNOWN_CURRENCIES)}, any case; unknown codes are for staging to reject",
                column=c, regex=CURRENCY_REGEX, mostly=mostly(CURRENCY, n_rows))
    return out


# ------------------------------------------------------------------------------------------ messages
def _pct(x: float) -> str:
    return f"{round(x * 100, 1):g}%"


def _failure_message(table: str, r: Any, df: Any) -> str:
    """One failed expectation's result in words."""
    cfg = r.expectation_config
    kind = cfg.type
    kw = cfg.kwargs
    label = (cfg.meta or {}).get("label", kind)
    res = r.result or {}
    error = _exception_message(r.exception_info)
    if error:
        return f"{label}: the check raised an error ({error})"
    if kind == "expect_table_columns_to_match_set":
        mismatched = res.get("details", {}).get("mismatched", {})
        parts = []
        contract_order = list(kw["column_set"])
        if mismatched.get("missing"):
            parts.append(f"missing columns {sorted(mismatched['missing'], key=contract_order.index)}")
        if mismatched.get("unexpected"):
            parts.append(f"unexpected columns {sorted(mismatched['unexpected'])}")
        return "; ".join(parts) or "columns differ from the contract"
    if kind == "expect_table_row_count_to_be_between":
        return f"table is empty ({res.get('observed_value', 0)} rows)"
    if kind == "expect_column_values_to_be_in_type_list":
        column = kw["column"]
        return f"{label}, but its values are {df[column].dtype} (contract {_sql_type(dict(TABLES[table])[column])})"
    unexpected = res.get("unexpected_percent")
    good = 1.0 if unexpected is None else 1 - unexpected / 100
    threshold = kw.get("mostly", 1.0) or 1.0
    detail = ""
    sample = res.get("partial_unexpected_counts") or []
    if sample and kind in ("expect_column_values_to_match_regex", "expect_column_values_to_be_in_set"):
        detail = f"; e.g. {[s['value'] for s in sample[:5]]}"
    expected = f"expected >= {_pct(threshold)}" if threshold < 1 else "expected 100%"
    if good >= threshold:
        return f"{label}: the check failed ({kind})"
    # Rounded down, so a share that fell short never prints as the threshold or as 100%.
    shown = math.floor(good * 1000 + 1e-9) / 10
    return f"{label} for only {shown:.1f}% of rows ({expected}){detail}"


def _exception_message(info: Any) -> str | None:
    """The error an expectation raised, if any (GE nests it per metric, or gives it flat)."""
    if not info:
        return None
    entries = [info] if "raised_exception" in info else [v for v in info.values() if isinstance(v, dict)]
    for entry in entries:
        if entry.get("raised_exception"):
            return str(entry.get("exception_message") or "unknown error")
    return None


def _sql_type(contract_type: str) -> str:
    """The DuckDB type a contract type lands as."""
    return {SFDT: "VARCHAR", SFDATE: "VARCHAR", TS: "TIMESTAMP", MS: "BIGINT epoch ms"}.get(contract_type,
                                                                                          contract_type)


def _string_type_problems(table: str, df: Any) -> list[str]:
    """VARCHAR contract columns must hold strings (or be all null); GE's type check cannot see pandas' `str`."""
    import pandas as pd

    out = []
    for c, t in TABLES[table]:
        if t == V and c in df.columns and not pd.api.types.is_string_dtype(df[c].dtype):
            out.append(f"{c} is a string, but its values are {df[c].dtype} (contract VARCHAR)")
    return out


# --------------------------------------------------------------------------------------------- runner
def _context(data_docs_dir: str | None) -> Any:
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    sites = {}
    if data_docs_dir:
        sites[SITE_NAME] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                              "base_directory": str(Path(data_docs_dir).resolve())},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        data_docs_sites=sites,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        analytics_enabled=False,
    )
    return gx.get_context(project_config=config, mode="ephemeral")


def _load(con: Any, schema: str, name: str) -> Any:
    """The whole table as a DataFrame, through Arrow: half the time and a third of the memory of `.df()`.

    Integers and booleans become pandas' nullable dtypes (so a null does not turn an integer column into
    floats), dates become datetime64; strings keep pandas' Arrow-backed `str` dtype.
    """
    import pandas as pd
    import pyarrow as pa

    nullable = {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
                pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}
    table = con.execute(f'select * from "{schema}"."{name}"').fetch_arrow_table()
    return table.to_pandas(types_mapper=nullable.get, date_as_object=False, self_destruct=True)


def _check_table(context: Any, datasource: Any, con: Any, table: str) -> TableResult:
    import great_expectations as gx

    started = time.perf_counter()
    schema, name = table.split(".")
    result = TableResult(table)
    df = _load(con, schema, name)
    result.rows = len(df)

    suite = context.suites.add(gx.ExpectationSuite(name=table))
    for exp in build_expectations(table, list(df.columns), len(df)):
        suite.add_expectation(exp)
    batch_definition = datasource.add_dataframe_asset(name=table).add_batch_definition_whole_dataframe("landed")
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name=table, data=batch_definition, suite=suite))
    outcome = validation.run(batch_parameters={"dataframe": df}, result_format="SUMMARY")

    result.evaluated = len(outcome.results)
    result.passed = sum(1 for r in outcome.results if r.success)
    failed = [r for r in outcome.results if not r.success]
    table_level = {"expect_table_columns_to_match_set", "expect_table_row_count_to_be_between"}
    wrong_type = {r.expectation_config.kwargs["column"] for r in failed
                  if r.expectation_config.type == "expect_column_values_to_be_in_type_list"}
    for r in failed:
        kind, column = r.expectation_config.type, r.expectation_config.kwargs.get("column")
        if result.rows == 0 and kind not in table_level:
            continue  # an empty table: "table is empty" says it all
        if column in wrong_type and kind != "expect_column_values_to_be_in_type_list":
            continue  # value checks of a column of the wrong type only repeat the type problem
        result.problems.append(_failure_message(table, r, df))
    result.problems.extend(_string_type_problems(table, df))
    extra = sorted(set(df.columns) - set(dict(TABLES[table])))
    if extra:
        missing = [i for i, p in enumerate(result.problems) if p.startswith("missing columns")]
        if missing:  # a renamed column shows up as one missing and one unexpected: say both
            if "unexpected columns" not in result.problems[missing[0]]:
                result.problems[missing[0]] += f"; unexpected columns {extra}"
        else:
            result.notes.append(f"columns beyond the contract {extra}")
    result.seconds = time.perf_counter() - started
    return result


def _clear_old_docs(docs_dir: Path) -> None:
    """Removes the pages an earlier run rendered (only Great Expectations' own layout, nothing else)."""
    for sub in ("validations", "expectations"):
        if (docs_dir / sub).is_dir():
            shutil.rmtree(docs_dir / sub)
    if (docs_dir / "index.html").is_file():
        (docs_dir / "index.html").unlink()


def check_landing(path: str, data_docs_dir: str | None = DEFAULT_DATA_DOCS_DIR,
                  progress: Callable[[TableResult], None] | None = None) -> LandingReport:
    """Validates every raw table of the contract in the DuckDB file at `path`.

    Builds Data Docs into `data_docs_dir` when given. `progress`, if given, is called with each table's
    result as soon as it is known. Raises LandingError when the file cannot be opened.
    """
    import duckdb

    started = time.perf_counter()
    if not os.path.exists(path):
        raise LandingError(f"no DuckDB file at {path}")
    try:
        con = duckdb.connect(path, read_only=True)
        con.execute("set enable_progress_bar = false")
    except duckdb.Error as e:
        raise LandingError(f"cannot open {path} read-only: {e}") from e
    try:
        landed = {f"{s}.{t}" for s, t in con.execute(
            "select table_schema, table_name from information_schema.tables").fetchall()}
        context = _context(data_docs_dir)
        datasource = context.data_sources.add_pandas("landing")
        results = []
        for table in TABLES:
            if table not in landed:
                r = TableResult(table, problems=["table is missing"])
            else:
                r = _check_table(context, datasource, con, table)
            results.append(r)
            if progress:
                progress(r)
    finally:
        con.close()

    report = LandingReport(path=path, tables=results)
    if data_docs_dir:
        docs = Path(data_docs_dir).resolve()
        _clear_old_docs(docs)
        urls = context.build_data_docs(site_names=[SITE_NAME])
        report.data_docs_index = urls.get(SITE_NAME) or (docs / "index.html").as_uri()
    report.seconds = time.perf_counter() - started
    return report


def run_cli(path: str, data_docs_dir: str | None = DEFAULT_DATA_DOCS_DIR) -> int:
    """`revops check-landing`: one line per table; exit status 0 when the landing is usable, else 1."""
    print(f"Checking the raw landing in {path} (Great Expectations, pandas datasource)", flush=True)
    try:
        report = check_landing(path, data_docs_dir, progress=lambda r: print(r.summary(), flush=True))
    except LandingError as e:
        print(f"check-landing: {e}", file=sys.stderr)
        return 1
    if report.data_docs_index:
        print(f"Data Docs: {report.data_docs_index}")
    if report.ok:
        print(f"Landing is usable: {len(report.tables)} tables passed in {report.seconds:.1f} s")
        return 0
    print(f"Landing is NOT usable: {len(report.failures)} of {len(report.tables)} tables failed "
          f"({report.seconds:.1f} s):", file=sys.stderr)
    for m in report.messages():
        print(f"  {m}", file=sys.stderr)
    return 1
