"""The static dashboard: one self-contained HTML file drawn from the marts.

`revops dashboard --path warehouse.duckdb --out target/dashboard/index.html` opens the warehouse
read-only, reads only tables of the marts schema, and writes one HTML file that a person opens from
disk without a server or a network: the data is embedded as JSON in a
<script type="application/json"> block, and a small hand-written script (dashboard_assets/
dashboard.js, inlined with its stylesheet) draws every chart as inline SVG.

Every number is selected from its home mart (../shared/kpi-definitions.md); the only arithmetic
here is summing the additive columns of a mart over a period where a chart shows a period total
(the 12-month funnel, CAC paid and ROAS by channel), each ratio then being the ratio of those sums
exactly as the mart defines it per month. The as-of date comes from the data, never the wall clock:
the as-of month is the last month the marts carry (partial), the charts show complete months only.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import re
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

MARTS_SCHEMA = "marts"
TREND_MONTHS = 24  # months shown by the win-rate trend
COHORT_MONTHS = 24  # cohorts (and month offsets) shown by the retention heat map
WINDOW_MONTHS = 12  # the period of the funnel and of CAC / ROAS by channel
ATTRIBUTION_MODELS = ("first_touch", "last_touch", "linear")

# The order of the revenue bridge: fct_revenue_monthly's movement columns between opening and closing.
BRIDGE_STEPS = (
    ("opening", "Opening MRR", "opening_mrr"),
    ("new", "New", "new_mrr"),
    ("expansion", "Expansion", "expansion_mrr"),
    ("reactivation", "Reactivation", "reactivation_mrr"),
    ("contraction", "Contraction", "contraction_mrr"),
    ("churn", "Churn", "churn_mrr"),
    ("fx", "FX", "fx_mrr"),
    ("closing", "Closing MRR", "mrr"),
)
FUNNEL_STAGES = (
    ("lead", "Leads"),
    ("mql", "MQLs"),
    ("sql", "SQLs"),
    ("opportunity", "Opportunities"),
    ("closed_won", "Won"),
)
# The marts the page reads (nothing else).
SOURCE_MARTS = (
    "fct_revenue_monthly",
    "fct_cohort_retention",
    "fct_funnel_conversion_monthly",
    "fct_closed_opportunities_monthly",
    "fct_marketing_channels_monthly",
    "fct_marketing_attribution_monthly",
    "fct_data_quality_loads",
)
# Chart names (the data-chart attribute of each container), in page order.
CHARTS = (
    "revenue_bridge",
    "mrr_arr_trend",
    "cohort_retention",
    "lead_funnel",
    "win_rate",
    "cac_roas",
    "data_quality",
)


def _num(value: Any) -> float | int | None:
    """A JSON number: Decimal money becomes a float whose shortest repr is the same decimal text."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return float(value)


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _add_months(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


class MartReader:
    """Queries of the marts schema of one read-only connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection, schema: str = MARTS_SCHEMA):
        self.con = con
        self.schema = schema
        present = {
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = ?", [schema]
            ).fetchall()
        }
        missing = sorted(set(SOURCE_MARTS) - present)
        if missing:
            raise LookupError(f"marts missing from schema {schema}: {', '.join(missing)} (run dbt build first)")

    def rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        cursor = self.con.execute(sql.replace("{marts}", self.schema), params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        return self.con.execute(sql.replace("{marts}", self.schema), params or []).fetchone()[0]


def as_of(reader: MartReader) -> dict[str, str | None]:
    """The as-of month is the last month the monthly marts reach (they run to the warehouse's as-of
    month, which is partial); the as-of date is the latest load day within it (the raw data's latest
    load, the warehouse's "today" unless var as_of_date moved it back)."""
    as_of_month = reader.scalar(
        """
        select max(m) from (
            select max(month) as m from {marts}.fct_revenue_monthly
            union all
            select max(cohort_month) from {marts}.fct_funnel_conversion_monthly
            union all
            select max(month) from {marts}.fct_cohort_retention
        )
        """
    )
    if as_of_month is None:
        raise LookupError("the marts hold no months: build the warehouse first")
    as_of_date = reader.scalar(
        "select max(load_date) from {marts}.fct_data_quality_loads where load_date >= ? and load_date < ?",
        [as_of_month, _add_months(as_of_month, 1)],
    )
    last_complete = _add_months(as_of_month, -1)
    return {
        "as_of_date": _iso(as_of_date or as_of_month),
        "as_of_month": _iso(as_of_month),
        "last_complete_month": _iso(last_complete),
        "window_start_month": _iso(_add_months(as_of_month, -WINDOW_MONTHS)),
    }


def revenue_bridge(reader: MartReader, month: dt.date) -> dict[str, Any]:
    columns = ", ".join(column for _, _, column in BRIDGE_STEPS)
    rows = reader.rows(
        f"select {columns} from {{marts}}.fct_revenue_monthly where segment_type = 'all' and month = ?", [month]
    )
    steps = []
    if rows:
        steps = [
            {"key": key, "label": label, "column": column, "value": _num(rows[0][column])}
            for key, label, column in BRIDGE_STEPS
        ]
    return {"month": _iso(month), "source": "fct_revenue_monthly (segment_type 'all')", "steps": steps}


def mrr_arr_trend(reader: MartReader, as_of_month: dt.date) -> dict[str, Any]:
    rows = reader.rows(
        """
        select month, mrr, arr from {marts}.fct_revenue_monthly
        where segment_type = 'all' and month < ?
        order by month
        """,
        [as_of_month],
    )
    points = [{"month": _iso(r["month"]), "mrr": _num(r["mrr"]), "arr": _num(r["arr"])} for r in rows]
    return {"source": "fct_revenue_monthly (segment_type 'all')", "points": points}


def kpi_tiles(reader: MartReader, month: dt.date) -> list[dict[str, Any]]:
    rows = reader.rows(
        """
        select mrr, arr, net_new_mrr, customers, arpa, logo_churn_rate, nrr_t12m, grr_t12m
        from {marts}.fct_revenue_monthly where segment_type = 'all' and month = ?
        """,
        [month],
    )
    if not rows:
        return []
    row = rows[0]
    spec = (
        ("mrr", "MRR", "money"),
        ("arr", "ARR", "money"),
        ("net_new_mrr", "Net new MRR", "money"),
        ("customers", "Paying customers", "count"),
        ("arpa", "ARPA", "money"),
        ("logo_churn_rate", "Logo churn (month)", "percent"),
        ("nrr_t12m", "NRR (trailing 12 months)", "percent"),
        ("grr_t12m", "GRR (trailing 12 months)", "percent"),
    )
    return [{"key": key, "label": label, "format": fmt, "value": _num(row[key])} for key, label, fmt in spec]


def cohort_retention(reader: MartReader, as_of_month: dt.date) -> dict[str, Any]:
    """Revenue retention of the last COHORT_MONTHS complete cohorts, offsets of complete months only."""
    first_cohort = _add_months(as_of_month, -COHORT_MONTHS)
    rows = reader.rows(
        """
        select cohort_month, month_offset, month, cohort_customers, retained_customers,
            cohort_starting_mrr, cohort_mrr, revenue_retention, logo_retention
        from {marts}.fct_cohort_retention
        where cohort_month >= ? and month < ? and month_offset < ?
        order by cohort_month, month_offset
        """,
        [first_cohort, as_of_month, COHORT_MONTHS],
    )
    cohorts: dict[str, dict[str, Any]] = {}
    for r in rows:
        key = _iso(r["cohort_month"])
        cohort = cohorts.setdefault(
            key,
            {
                "cohort_month": key,
                "customers": _num(r["cohort_customers"]),
                "starting_mrr": _num(r["cohort_starting_mrr"]),
                "cells": [],
            },
        )
        cohort["cells"].append(
            {
                "offset": r["month_offset"],
                "revenue_retention": _num(r["revenue_retention"]),
                "logo_retention": _num(r["logo_retention"]),
                "retained_customers": _num(r["retained_customers"]),
                "mrr": _num(r["cohort_mrr"]),
            }
        )
    return {
        "metric": "revenue_retention",
        "max_offset": COHORT_MONTHS - 1,
        "source": "fct_cohort_retention",
        "cohorts": list(cohorts.values()),
    }


def lead_funnel(reader: MartReader, window_start: dt.date, as_of_month: dt.date) -> dict[str, Any]:
    """Leads created in the window and how many of them reached each stage by the as-of date (the lead
    cohort of fct_funnel_conversion_monthly, channel 'all', summed over the window's cohort months)."""
    rows = reader.rows(
        """
        select stage_name, min(stage_order) as stage_order, sum(lead_cohort_reached_count) as reached
        from {marts}.fct_funnel_conversion_monthly
        where source_channel = 'all' and cohort_month >= ? and cohort_month < ?
        group by stage_name
        order by stage_order
        """,
        [window_start, as_of_month],
    )
    reached = {r["stage_name"]: r["reached"] for r in rows}
    stages = []
    if reached:
        stages = [{"stage": key, "label": label, "count": _num(reached.get(key, 0))} for key, label in FUNNEL_STAGES]
    return {
        "from_month": _iso(window_start),
        "to_month": _iso(_add_months(as_of_month, -1)),
        "source": "fct_funnel_conversion_monthly (lead cohorts, source_channel 'all')",
        "stages": stages,
    }


def win_rate(reader: MartReader, as_of_month: dt.date) -> dict[str, Any]:
    rows = reader.rows(
        """
        select month, won_count, closed_count, win_rate_count, win_rate_amount
        from {marts}.fct_closed_opportunities_monthly
        where opportunity_type = 'all' and sales_channel = 'all' and source_channel = 'all'
            and month >= ? and month < ?
        order by month
        """,
        [_add_months(as_of_month, -TREND_MONTHS), as_of_month],
    )
    points = [
        {
            "month": _iso(r["month"]),
            "won_count": _num(r["won_count"]),
            "closed_count": _num(r["closed_count"]),
            "win_rate_count": _num(r["win_rate_count"]),
            "win_rate_amount": _num(r["win_rate_amount"]),
        }
        for r in rows
    ]
    return {"source": "fct_closed_opportunities_monthly ('all' rows)", "points": points}


def cac_roas(reader: MartReader, window_start: dt.date, as_of_month: dt.date, attribution_model: str) -> dict[str, Any]:
    """CAC paid and ROAS of each paid channel over the window: the marts' own ratios (spend / new
    customers, bookings attributed / spend) of their additive columns summed over the window."""
    cac = reader.rows(
        """
        select channel, sum(spend) as spend, sum(new_customers) as new_customers
        from {marts}.fct_marketing_channels_monthly
        where is_paid_channel and month >= ? and month < ?
        group by channel
        """,
        [window_start, as_of_month],
    )
    roas = reader.rows(
        """
        select channel, sum(spend) as spend, sum(bookings_attributed) as bookings_attributed
        from {marts}.fct_marketing_attribution_monthly
        where attribution_model = ? and month >= ? and month < ?
        group by channel
        having sum(spend) > 0
        """,
        [attribution_model, window_start, as_of_month],
    )
    by_channel: dict[str, dict[str, Any]] = {}
    for r in cac:
        spend, customers = r["spend"] or Decimal(0), r["new_customers"] or 0
        by_channel.setdefault(r["channel"], {"channel": r["channel"]}).update(
            spend=_num(spend),
            new_customers=_num(customers),
            cac_paid=_num((spend / customers).quantize(Decimal("0.01"))) if customers else None,
        )
    for r in roas:
        by_channel.setdefault(r["channel"], {"channel": r["channel"]}).update(
            attributed_spend=_num(r["spend"]),
            bookings_attributed=_num(r["bookings_attributed"]),
            roas=float(r["bookings_attributed"] / r["spend"]),
        )
    return {
        "from_month": _iso(window_start),
        "to_month": _iso(_add_months(as_of_month, -1)),
        "attribution_model": attribution_model,
        "source": "fct_marketing_channels_monthly, fct_marketing_attribution_monthly",
        "channels": sorted(by_channel.values(), key=lambda c: c["channel"]),
    }


def data_quality(reader: MartReader, as_of_month: dt.date) -> dict[str, Any]:
    """Each raw table's data-quality score of its latest load (up to the as-of month)."""
    rows = reader.rows(
        """
        select source_system, source_table, load_date, rows_checked, rows_passed, rows_rejected,
            rows_duplicate, data_quality_score
        from {marts}.fct_data_quality_loads
        where load_date < ?
        qualify row_number() over (partition by source_table order by load_date desc) = 1
        order by data_quality_score, source_table
        """,
        [_add_months(as_of_month, 1)],
    )
    tables = [
        {
            "source_table": r["source_table"],
            "source_system": r["source_system"],
            "load_date": _iso(r["load_date"]),
            "rows_checked": _num(r["rows_checked"]),
            "rows_passed": _num(r["rows_passed"]),
            "rows_rejected": _num(r["rows_rejected"]),
            "rows_duplicate": _num(r["rows_duplicate"]),
            "score": _num(r["data_quality_score"]),
        }
        for r in rows
    ]
    return {"source": "fct_data_quality_loads (latest load of each raw table)", "tables": tables}


def build_payload(
    con: duckdb.DuckDBPyConnection,
    *,
    currency: str = "USD",
    attribution_model: str = "linear",
    schema: str = MARTS_SCHEMA,
) -> dict[str, Any]:
    """Everything the page shows, as plain JSON-ready values."""
    if attribution_model not in ATTRIBUTION_MODELS:
        raise ValueError(f"attribution model {attribution_model!r} is not one of {', '.join(ATTRIBUTION_MODELS)}")
    reader = MartReader(con, schema)
    period = as_of(reader)
    as_of_month = dt.date.fromisoformat(period["as_of_month"])
    last_complete = dt.date.fromisoformat(period["last_complete_month"])
    window_start = dt.date.fromisoformat(period["window_start_month"])
    return {
        "title": "RevOps dashboard",
        "currency": currency,
        **period,
        "kpis": kpi_tiles(reader, last_complete),
        "charts": {
            "revenue_bridge": revenue_bridge(reader, last_complete),
            "mrr_arr_trend": mrr_arr_trend(reader, as_of_month),
            "cohort_retention": cohort_retention(reader, as_of_month),
            "lead_funnel": lead_funnel(reader, window_start, as_of_month),
            "win_rate": win_rate(reader, as_of_month),
            "cac_roas": cac_roas(reader, window_start, as_of_month, attribution_model),
            "data_quality": data_quality(reader, as_of_month),
        },
    }


def _asset(name: str) -> str:
    return resources.files("revops_tools").joinpath("dashboard_assets", name).read_text(encoding="utf-8")


def _script_json(payload: dict[str, Any]) -> str:
    """JSON safe inside a <script> element: no '<', '>' or '&' can end or confuse it."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_html(payload: dict[str, Any]) -> str:
    """The whole page: the template with the stylesheet, the data and the script inlined."""
    template = _asset("dashboard.html")
    script = _asset("dashboard.js")
    if "</script" in script.lower():
        raise ValueError("dashboard.js must not contain '</script'")
    replacements = {
        "TITLE": html.escape(payload["title"]),
        "AS_OF_DATE": html.escape(payload["as_of_date"]),
        "CSS": _asset("dashboard.css"),
        "DATA": _script_json(payload),
        "SCRIPT": script,
    }
    # One pass, so nothing inlined is scanned for markers again.
    return re.sub(r"\{\{([A-Z_]+)\}\}", lambda match: replacements[match.group(1)], template)


def project_vars(project_dir: str | Path) -> dict[str, Any]:
    """The dbt project's vars (reporting_currency, default_attribution_model); {} without the file."""
    path = Path(project_dir) / "dbt_project.yml"
    if not path.is_file():
        return {}
    import yaml

    return (yaml.safe_load(path.read_text()) or {}).get("vars") or {}


def generate(
    path: str | Path,
    out: str | Path,
    *,
    project_dir: str | Path = ".",
    attribution_model: str | None = None,
    schema: str = MARTS_SCHEMA,
) -> dict[str, Any]:
    """Writes the dashboard of the warehouse at `path` to `out`; returns the embedded payload."""
    variables = project_vars(project_dir)
    model = attribution_model or variables.get("default_attribution_model") or "linear"
    currency = variables.get("reporting_currency") or "USD"
    if not Path(path).is_file():
        raise FileNotFoundError(f"{path}: no such warehouse file")
    con = duckdb.connect(str(path), read_only=True)
    try:
        payload = build_payload(con, currency=currency, attribution_model=model, schema=schema)
    finally:
        con.close()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(payload), encoding="utf-8")
    return payload


def run_cli(path: str, out: str, project_dir: str, attribution_model: str | None) -> int:
    import sys

    try:
        payload = generate(path, out, project_dir=project_dir, attribution_model=attribution_model)
    except (FileNotFoundError, LookupError, ValueError) as error:
        print(f"dashboard: {error}", file=sys.stderr)
        return 1
    print(f"dashboard as of {payload['as_of_date']} written to {out}")
    return 0
