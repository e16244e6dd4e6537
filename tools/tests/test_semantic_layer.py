"""The dbt Semantic Layer (MetricFlow) gives every mart's own number.

Every metric of models/marts/*/_<domain>__semantic.yml is queried by month through MetricFlow and
compared, month by month, with its home mart: money and counts exactly (to the cent), ratios to
1e-9 against the mart's unrounded numerator / denominator, and to the mart's rounding (half of its
last decimal) against the rate column it stores. The expected values are read straight from the
marts with SQL written here, never from MetricFlow.

Two ways in: MetricFlow's Python API compiles each query (MetricFlowEngine.explain) and the test
runs the SQL on the read-only `wh` connection, so one session checks all metrics in seconds; and
the `mf` command line runs as a subprocess, read-only beside `wh` (DUCKDB_ACCESS_MODE=read_only in
profiles/profiles.yml), the way the README tells a user to run it.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import math
import os
import subprocess
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import REPO

TARGET = REPO / "target" / "pytest" / "dbt"
MF = Path(sys.executable).with_name("mf")
REL_TOL = 1e-9

R = "marts.fct_revenue_monthly where segment_type = 'all'"
BOOKINGS = "marts.fct_bookings_monthly"
CASH = "marts.fct_cash_monthly"
RENEWALS = "marts.fct_crm_renewal_rate_monthly"
CLOSED_TOTAL = ("marts.fct_closed_opportunities_monthly where opportunity_type = 'all' and sales_channel = 'all' "
                "and source_channel = 'all'")
SPEED_TOTAL = "marts.fct_speed_to_lead_monthly where source_channel = 'all'"
O2C_TOTAL = "marts.fct_order_to_cash_monthly where sales_channel = 'all'"
MKT = "marts.fct_marketing_monthly"
PAID = "marts.fct_marketing_channels_monthly where is_paid_channel"
ADOPTION = "marts.fct_crm_adoption_weekly"


def _funnel(stage: str) -> str:
    return f"marts.fct_funnel_conversion_monthly where source_channel = 'all' and stage_name = '{stage}'"


def _attribution(model: str) -> str:
    return f"marts.fct_marketing_attribution_monthly where attribution_model = '{model}'"


def _ratio(numerator: str, denominator: str) -> str:
    return f"cast({numerator} as double) / nullif({denominator}, 0)"


def _gross_margin() -> float:
    project = yaml.safe_load((REPO / "dbt_project.yml").read_text())
    return float(project["vars"]["gross_margin"])


@dataclass(frozen=True)
class Expected:
    """How to read a metric's number from its home mart: `sql` returns (period, value[, stored]);
    `stored` is the rate column the mart keeps, rounded to `step`."""

    sql: str
    step: float | None = None
    grain: str = "month"


def _column(column: str, source: str, period: str = "month") -> Expected:
    return Expected(f"select {period}, {column} from {source}")


def _summed(column: str, source: str, period: str = "month", grain: str = "month") -> Expected:
    return Expected(f"select {period}, sum({column}) from {source} group by 1", grain=grain)


def _rate(numerator: str, denominator: str, source: str, stored: str | None = None, step: float | None = None,
          period: str = "month", grain: str = "month") -> Expected:
    stored_sql = f", {stored}" if stored else ""
    group = "" if stored else " group by 1"
    return Expected(f"select {period}, {_ratio(numerator, denominator)}{stored_sql} from {source}{group}", step, grain)


EXPECTED: dict[str, Expected] = {
    # ------------------------------------------------------------------ revenue (fct_mrr vs fct_revenue_monthly)
    "mrr": _column("mrr", R),
    "arr": _column("arr", R),
    "total_mrr": _column("mrr", R),
    "opening_mrr": _column("opening_mrr", R),
    "new_mrr": _column("new_mrr", R),
    "expansion_mrr": _column("expansion_mrr", R),
    "contraction_mrr": _column("contraction_mrr", R),
    "churn_mrr": _column("churn_mrr", R),
    "reactivation_mrr": _column("reactivation_mrr", R),
    "fx_mrr": _column("fx_mrr", R),
    "net_new_mrr": _column("net_new_mrr", R),
    "gross_churned_mrr": _column("-(churn_mrr + contraction_mrr)", R),
    "paying_customers": _column("customers", R),
    "churned_customers": _column("churned_customers", R),
    "opening_customers_all": _column("opening_customers", R),
    "expanded_customers": _column("expanded_customers", R),
    "paid_seats": _column("paid_seats", R),
    "cohort_starting_mrr_t12m": _column("cohort_starting_mrr_t12m", R),
    "cohort_ending_mrr_t12m": _column("cohort_ending_mrr_t12m", R),
    "cohort_retained_mrr_t12m": _column("cohort_retained_mrr_t12m", R),
    "renewals_due": _column("renewals_due", R),
    "renewals_continued": _column("renewals_continued", R),
    # the mart's own double-precision rates, to 1e-9
    "logo_churn_rate": _column("logo_churn_rate", R),
    "gross_mrr_churn_rate": _column("gross_mrr_churn_rate", R),
    "upsell_rate": _column("upsell_rate", R),
    "arpa": _column("arpa", R),
    "arpu": _column("arpu", R),
    "nrr": _column("nrr_t12m", R),
    "grr": _column("grr_t12m", R),
    "renewal_rate_billing": _column("renewal_rate", R),
    # ------------------------------------------------------------------ finance
    "bookings": _summed("bookings_reporting", BOOKINGS),
    "won_deals": _summed("won_deals", BOOKINGS),
    "in_period_bookings": _summed("in_period_bookings_reporting", BOOKINGS),
    "annual_bookings": _summed("annual_bookings_reporting", BOOKINGS),
    "acv_total": _summed("acv_total_reporting", BOOKINGS),
    "won_deals_with_acv": _summed("won_deals_with_acv", BOOKINGS),
    "average_deal_size": _rate("sum(bookings_reporting)", "sum(won_deals)", BOOKINGS),
    "average_acv": _rate("sum(acv_total_reporting)", "sum(won_deals_with_acv)", BOOKINGS),
    "billings": _column("billings_reporting", CASH),
    "collections": _column("collections_reporting", CASH),
    "accounts_receivable": _column("accounts_receivable_reporting", CASH),
    "receivable_days": _column("accounts_receivable_reporting * days_in_month", CASH),
    "dso": _rate("accounts_receivable_reporting * days_in_month", "billings_reporting", CASH, "dso_days", 0.01),
    "closed_renewals": _summed("closed_renewals", RENEWALS),
    "won_renewals": _summed("won_renewals", RENEWALS),
    "renewal_rate_crm": _rate("sum(won_renewals)", "sum(closed_renewals)", RENEWALS),
    "closed_renewal_amount": _summed("closed_renewal_amount_reporting", RENEWALS),
    "won_renewal_amount": _summed("won_renewal_amount_reporting", RENEWALS),
    "renewal_rate_crm_amount": _rate("sum(won_renewal_amount_reporting)", "sum(closed_renewal_amount_reporting)",
                                     RENEWALS),
    # ------------------------------------------------------------------ sales: read from the marts' total rows
    "won_opportunities": _column("won_count", CLOSED_TOTAL),
    "closed_opportunities": _column("closed_count", CLOSED_TOTAL),
    "win_rate": _rate("won_count", "closed_count", CLOSED_TOTAL, "win_rate_count", 1e-6),
    "won_opportunity_amount": _column("won_amount", CLOSED_TOTAL),
    "closed_opportunity_amount": _column("won_amount + lost_amount", CLOSED_TOTAL),
    "win_rate_amount": _rate("won_amount", "won_amount + lost_amount", CLOSED_TOTAL, "win_rate_amount", 1e-6),
    "won_sales_cycle_days": _column("mean_sales_cycle_days * won_count", CLOSED_TOTAL),
    "sales_cycle_days": _column("mean_sales_cycle_days", CLOSED_TOTAL),
    "median_sales_cycle_days": _column("median_sales_cycle_days", CLOSED_TOTAL),
    "won_from_lead": _column("won_from_lead_count", CLOSED_TOTAL),
    "won_lead_to_close_days": _column("mean_lead_to_close_days * won_from_lead_count", CLOSED_TOTAL),
    "lead_to_close_days": _column("mean_lead_to_close_days", CLOSED_TOTAL),
    "pipeline": _summed("pipeline_amount", "marts.fct_pipeline_snapshots_monthly"),
    "weighted_pipeline": _summed("weighted_pipeline_amount", "marts.fct_pipeline_snapshots_monthly"),
    "open_opportunities": _summed("open_opportunity_count", "marts.fct_pipeline_snapshots_monthly"),
    "coverage_pipeline": _summed("pipeline_amount", "marts.fct_pipeline_coverage_monthly"),
    "coverage_quota": _summed("quota_amount", "marts.fct_pipeline_coverage_monthly"),
    "pipeline_coverage": _rate("sum(pipeline_amount)", "sum(quota_amount)", "marts.fct_pipeline_coverage_monthly"),
    "rep_bookings": _summed("bookings_amount", "marts.fct_quota_attainment_monthly"),
    "quota": _summed("quota_amount", "marts.fct_quota_attainment_monthly"),
    "quota_attainment": _rate("sum(bookings_amount)", "sum(quota_amount)", "marts.fct_quota_attainment_monthly"),
    "presented_quotes": _summed("presented_quote_count", "marts.fct_quotes_monthly"),
    "accepted_quotes": _summed("accepted_quote_count", "marts.fct_quotes_monthly"),
    "quote_to_order_rate": _rate("sum(accepted_quote_count)", "sum(presented_quote_count)",
                                 "marts.fct_quotes_monthly"),
    "speed_to_lead_leads": _column("lead_count", SPEED_TOTAL),
    "answered_within_1h_leads": _column("answered_within_1h_count", SPEED_TOTAL),
    "answered_within_1h_share": _rate("answered_within_1h_count", "lead_count", SPEED_TOTAL,
                                      "answered_within_1h_share", 1e-6),
    "touched_leads": _column("touched_lead_count", SPEED_TOTAL),
    "speed_to_lead_hours_total": _column("mean_speed_to_lead_hours * touched_lead_count", SPEED_TOTAL),
    "speed_to_lead_hours": _column("mean_speed_to_lead_hours", SPEED_TOTAL),
    "median_speed_to_lead_hours": _column("median_speed_to_lead_hours", SPEED_TOTAL),
    "outbound_calls": _summed("outbound_call_count", "marts.fct_contact_success_monthly"),
    "rep_conversions": _summed("conversion_count", "marts.fct_contact_success_monthly"),
    "contact_conversion_rate": _rate("sum(conversion_count)", "sum(outbound_call_count)",
                                     "marts.fct_contact_success_monthly"),
    "contact_success_rate": _rate("1000 * sum(conversion_count)", "sum(outbound_call_count)",
                                  "marts.fct_contact_success_monthly"),
    "active_sales_users": _summed("active_sales_user_count", ADOPTION, "week_start_date", "week"),
    "adopting_sales_users": _summed("adopting_user_count", ADOPTION, "week_start_date", "week"),
    "crm_adoption_rate": _rate("sum(adopting_user_count)", "sum(active_sales_user_count)", ADOPTION,
                               period="week_start_date", grain="week"),
    "won_new_business": _column("won_new_business_count", O2C_TOTAL),
    "automated_handoffs": _column("automated_count", O2C_TOTAL),
    "order_to_cash_automation_rate": _rate("automated_count", "won_new_business_count", O2C_TOTAL,
                                           "order_to_cash_automation_rate", 1e-6),
    # ------------------------------------------------------------------ funnel: the 'all' channel rows
    "funnel_leads": _column("reached_count", _funnel("lead"), "cohort_month"),
    "funnel_mqls": _column("reached_count", _funnel("mql"), "cohort_month"),
    "funnel_sqls": _column("reached_count", _funnel("sql"), "cohort_month"),
    "funnel_opportunities": _column("reached_count", _funnel("opportunity"), "cohort_month"),
    "funnel_closed_won": _column("reached_count", _funnel("closed_won"), "cohort_month"),
    "leads_advanced_to_mql": _column("advanced_count", _funnel("lead"), "cohort_month"),
    "mqls_advanced_to_sql": _column("advanced_count", _funnel("mql"), "cohort_month"),
    "sqls_advanced_to_opportunity": _column("advanced_count", _funnel("sql"), "cohort_month"),
    "opportunities_advanced_to_won": _column("advanced_count", _funnel("opportunity"), "cohort_month"),
    "lead_to_mql_rate": _rate("advanced_count", "reached_count", _funnel("lead"), "stage_conversion_rate", 1e-6,
                              "cohort_month"),
    "mql_to_sql_rate": _rate("advanced_count", "reached_count", _funnel("mql"), "stage_conversion_rate", 1e-6,
                             "cohort_month"),
    "sql_to_opportunity_rate": _rate("advanced_count", "reached_count", _funnel("sql"), "stage_conversion_rate",
                                     1e-6, "cohort_month"),
    "opportunity_to_won_rate": _rate("advanced_count", "reached_count", _funnel("opportunity"),
                                     "stage_conversion_rate", 1e-6, "cohort_month"),
    "lead_cohort_won": _column("lead_cohort_reached_count", _funnel("closed_won"), "cohort_month"),
    "lead_cohort_size": _column("lead_cohort_size", _funnel("closed_won"), "cohort_month"),
    "funnel_conversion_rate": _rate("lead_cohort_reached_count", "lead_cohort_size", _funnel("closed_won"),
                                    "lead_cohort_conversion_rate", 1e-6, "cohort_month"),
    # ------------------------------------------------------------------ marketing
    "ad_spend": _column("ad_spend", MKT),
    "sales_marketing_costs": _column("sales_marketing_costs", MKT),
    "acquired_customers": _column("new_customers", MKT),
    "acquired_customer_mrr": _column("new_customer_mrr", MKT),
    "cac_blended": _rate("sales_marketing_costs", "new_customers", MKT, "cac_blended", 0.01),
    "average_new_customer_mrr": _rate("new_customer_mrr", "new_customers", MKT, "average_new_customer_mrr", 0.01),
    "cac_payback_months": _rate("sales_marketing_costs", f"new_customer_mrr * {_gross_margin()}", MKT,
                                "cac_payback_months", 0.01),
    "sessions": _column("sessions", MKT),
    "leads": _column("leads", MKT),
    "mqls": _column("mqls", MKT),
    "conversion_rate": _rate("leads", "sessions", MKT, "conversion_rate", 1e-6),
    "mql_rate": _rate("mqls", "leads", MKT, "mql_rate", 1e-6),
    "cost_per_lead": _rate("ad_spend", "leads", MKT, "cost_per_lead", 0.01),
    "impressions": _column("impressions", MKT),
    "clicks": _column("clicks", MKT),
    "click_through_rate": _rate("clicks", "impressions", MKT, "click_through_rate", 1e-6),
    "emails_delivered": _column("emails_delivered", MKT),
    "emails_opened": _column("emails_opened", MKT),
    "emails_clicked": _column("emails_clicked", MKT),
    "email_open_rate": _rate("emails_opened", "emails_delivered", MKT, "email_open_rate", 1e-6),
    "email_click_rate": _rate("emails_clicked", "emails_delivered", MKT, "email_click_rate", 1e-6),
    "paid_channel_spend": _summed("spend", PAID),
    "paid_channel_new_customers": _summed("new_customers", PAID),
    "cac_paid": _rate("sum(spend)", "sum(new_customers)", PAID),
    "attribution_spend": _summed("spend", _attribution("linear")),
    "bookings_attributed_first_touch": _summed("bookings_attributed", _attribution("first_touch")),
    "bookings_attributed_last_touch": _summed("bookings_attributed", _attribution("last_touch")),
    "bookings_attributed_linear": _summed("bookings_attributed", _attribution("linear")),
    # every model's own spend (the metric divides by the linear rows' spend: the same in every model)
    "roas_first_touch": _rate("sum(bookings_attributed)", "sum(spend)", _attribution("first_touch")),
    "roas_last_touch": _rate("sum(bookings_attributed)", "sum(spend)", _attribution("last_touch")),
    "roas_linear": _rate("sum(bookings_attributed)", "sum(spend)", _attribution("linear")),
}


# ------------------------------------------------------------------------------------ MetricFlow
class _CompileOnlyDuckDbClient:
    """The SqlClient MetricFlowEngine needs to render DuckDB SQL; the tests run the SQL themselves on
    their read-only connection, so this client never touches a database."""

    def __init__(self) -> None:
        from metricflow.protocols.sql_client import SqlEngine
        from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer

        self.sql_engine_type = SqlEngine.DUCKDB
        self.sql_plan_renderer = DuckDbSqlPlanRenderer()

    def render_bind_parameter_key(self, bind_parameter_key: str) -> str:
        return f"${bind_parameter_key}"

    def query(self, *args, **kwargs):
        raise NotImplementedError("compile only")

    def execute(self, *args, **kwargs):
        raise NotImplementedError("compile only")

    def dry_run(self, *args, **kwargs):
        raise NotImplementedError("compile only")

    def close(self) -> None:
        pass


@pytest.fixture(scope="session")
def semantic_manifest(built: Path) -> dict:
    return json.loads((TARGET / "semantic_manifest.json").read_text())


@pytest.fixture(scope="session")
def mf_engine(semantic_manifest: dict):
    from metricflow.engine.metricflow_engine import MetricFlowEngine
    from metricflow_semantics.model.dbt_manifest_parser import parse_manifest_from_dbt_generated_manifest
    from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

    manifest = parse_manifest_from_dbt_generated_manifest(manifest_json_string=json.dumps(semantic_manifest))
    return MetricFlowEngine(semantic_manifest_lookup=SemanticManifestLookup(manifest),
                            sql_client=_CompileOnlyDuckDbClient())


def mf_sql(engine, metrics: list[str], group_by: list[str]) -> str:
    from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

    request = MetricFlowQueryRequest.create(metric_names=metrics, group_by_names=group_by)
    return engine.explain(request).sql_statement.sql


def _period(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _within_rounding(value, stored, step: float) -> bool:
    """True when `stored` is `value` rounded to `step` (half a step either way, float noise allowed)."""
    return abs(float(value) - float(stored)) <= step / 2 + REL_TOL * max(1.0, abs(float(stored)))


def assert_same(metric: str, period, got, expected, stored=None, step: float | None = None) -> None:
    where = f"{metric} at {period}"
    if expected is None:
        assert got is None, f"{where}: MetricFlow {got}, mart null"
        return
    assert got is not None, f"{where}: MetricFlow null, mart {expected}"
    if isinstance(expected, float) or isinstance(got, float):
        assert math.isclose(float(got), float(expected), rel_tol=REL_TOL, abs_tol=REL_TOL), \
            f"{where}: MetricFlow {got}, mart {expected}"
    else:
        assert Decimal(str(got)) == Decimal(str(expected)), f"{where}: MetricFlow {got}, mart {expected}"
    if step is not None:
        assert stored is not None, f"{where}: the mart's stored rate is null"
        assert _within_rounding(got, stored, step), \
            f"{where}: MetricFlow {got}, mart's rounded column {stored} (to {step})"


# ------------------------------------------------------------------------------------ tests
def test_every_metric_is_checked(semantic_manifest: dict):
    defined = {metric["name"] for metric in semantic_manifest["metrics"]}
    assert defined == set(EXPECTED), (
        f"metrics without a check: {sorted(defined - set(EXPECTED))}; "
        f"checks without a metric: {sorted(set(EXPECTED) - defined)}"
    )


@pytest.mark.parametrize("metric", sorted(EXPECTED))
def test_metric_equals_its_home_mart_every_month(metric: str, mf_engine, wh):
    spec = EXPECTED[metric]
    got = {_period(p): v for p, v in wh.execute(mf_sql(mf_engine, [metric], [f"metric_time__{spec.grain}"])).fetchall()}
    expected_rows = wh.execute(spec.sql).fetchall()
    expected = {_period(row[0]): row[1:] for row in expected_rows}
    assert expected, f"{metric}: the mart has no rows to compare with"
    assert set(got) == set(expected), (
        f"{metric}: periods differ - only MetricFlow {sorted(set(got) - set(expected))[:5]}, "
        f"only the mart {sorted(set(expected) - set(got))[:5]}"
    )
    for period, (value, *stored) in expected.items():
        assert_same(metric, period, got[period], value, stored[0] if stored else None, spec.step)


def test_money_metrics_keep_cents(mf_engine, wh):
    """MRR from the customer-month fact is a decimal summed exactly, not a float."""
    rows = wh.execute(mf_sql(mf_engine, ["mrr", "bookings"], ["metric_time__month"])).fetchall()
    assert rows and all(isinstance(v, Decimal) for _, *values in rows for v in values if v is not None)


@pytest.mark.parametrize(
    ("metrics", "dimension", "sql"),
    [
        # MRR by sales channel from the customer-month fact = the revenue mart's segment rows
        (["mrr", "arr"], "customer_month__sales_channel",
         "select month, segment_value, mrr, arr from marts.fct_revenue_monthly where segment_type = 'sales_channel'"),
        (["mrr"], "customer_month__acquisition_channel",
         "select month, segment_value, mrr from marts.fct_revenue_monthly "
         "where segment_type = 'acquisition_channel'"),
        # win rate and sales cycle by channel, summed from detail rows = the mart's roll-up rows
        (["win_rate", "sales_cycle_days", "won_opportunity_amount"], "closed_opportunity_segment__sales_channel",
         "select month, sales_channel, cast(won_count as double) / nullif(closed_count, 0), mean_sales_cycle_days, "
         "won_amount from marts.fct_closed_opportunities_monthly "
         "where opportunity_type = 'all' and source_channel = 'all' and sales_channel <> 'all'"),
        # average deal size per type: the mart's rounded column, and the funnel by source channel
        (["average_deal_size"], "bookings_month_segment__opportunity_type",
         "select month, opportunity_type, sum(bookings_reporting) / nullif(sum(won_deals), 0) "
         "from marts.fct_bookings_monthly group by 1, 2"),
        (["funnel_conversion_rate"], "funnel_cohort_stage__source_channel",
         "select cohort_month, source_channel, cast(lead_cohort_reached_count as double) / nullif(lead_cohort_size, 0) "
         "from marts.fct_funnel_conversion_monthly where stage_name = 'closed_won' and source_channel <> 'all'"),
        # per-rep ratios equal the mart's per-rep columns (to their rounding below)
        (["quota_attainment"], "quota_attainment_rep_month__owner_user_id",
         "select month, owner_user_id, cast(bookings_amount as double) / nullif(quota_amount, 0) "
         "from marts.fct_quota_attainment_monthly"),
        (["cac_paid"], "marketing_channel_month__channel",
         "select month, channel, cast(spend as double) / nullif(new_customers, 0) "
         "from marts.fct_marketing_channels_monthly where is_paid_channel"),
    ],
)
def test_metrics_split_by_a_dimension_equal_the_mart(metrics, dimension, sql, mf_engine, wh):
    got = {(_period(p), key): values
           for p, key, *values in wh.execute(mf_sql(mf_engine, metrics, ["metric_time__month", dimension])).fetchall()}
    expected = {(_period(p), key): values for p, key, *values in wh.execute(sql).fetchall()}
    assert expected and set(expected) <= set(got), f"missing in MetricFlow: {sorted(set(expected) - set(got))[:5]}"
    # a segment with customers but no MRR yet (trials) is a zero in fct_mrr and no row in the revenue mart
    extra = {key: values for key, values in got.items() if key not in expected}
    assert all(not value for values in extra.values() for value in values), f"MetricFlow only: {extra}"
    for key, values in expected.items():
        for metric, got_value, expected_value in zip(metrics, got[key], values, strict=True):
            assert_same(metric, key, got_value, expected_value)


def test_rates_per_row_match_the_marts_stored_columns(mf_engine, wh):
    """Where a mart stores a rounded rate per row (rep, channel, campaign), MetricFlow's ratio grouped
    to that row gives it back to its rounding."""
    cases = [
        (["quota_attainment"], ["quota_attainment_rep_month__owner_user_id"],
         "select month, owner_user_id, quota_attainment from marts.fct_quota_attainment_monthly", 1e-6),
        (["pipeline_coverage"], ["pipeline_coverage_rep_month__owner_user_id"],
         "select month, owner_user_id, pipeline_coverage from marts.fct_pipeline_coverage_monthly", 1e-6),
        (["contact_success_rate"], ["contact_success_rep_month__user_id"],
         "select month, user_id, conversions_per_1000_calls from marts.fct_contact_success_monthly", 1e-6),
        (["cac_paid"], ["marketing_channel_month__channel"],
         "select month, channel, cac_paid from marts.fct_marketing_channels_monthly where is_paid_channel", 0.01),
        (["quote_to_order_rate"], ["quote_month_segment__opportunity_type", "quote_month_segment__sales_channel"],
         "select month, opportunity_type, sales_channel, quote_to_order_rate from marts.fct_quotes_monthly", 1e-6),
        (["roas_linear"], ["attribution_segment__channel", "attribution_segment__platform",
                           "attribution_segment__campaign"],
         "select month, channel, platform, campaign, roas from marts.fct_marketing_attribution_monthly "
         "where attribution_model = 'linear'", 1e-6),
    ]
    for metrics, dimensions, sql, step in cases:
        got = {(_period(p), *keys): value for p, *keys, value in
               wh.execute(mf_sql(mf_engine, metrics, ["metric_time__month", *dimensions])).fetchall()}
        expected = wh.execute(sql).fetchall()
        assert expected
        for p, *keys, stored in expected:
            value = got.get((_period(p), *keys))
            if stored is None:
                assert value is None, f"{metrics[0]} at {p} {keys}: MetricFlow {value}, mart null"
            else:
                assert value is not None and _within_rounding(value, stored, step), \
                    f"{metrics[0]} at {p} {keys}: MetricFlow {value}, mart {stored}"


def test_balances_take_the_periods_last_month_at_a_quarter(mf_engine, wh):
    """MRR is a balance: by quarter it is the MRR of the quarter's last month, not a sum of months."""
    got = {_period(p): v for p, v in wh.execute(mf_sql(mf_engine, ["mrr"], ["metric_time__quarter"])).fetchall()}
    expected = dict(wh.execute(
        "select date_trunc('quarter', month) as quarter, arg_max(mrr, month) "
        f"from {R} group by 1"
    ).fetchall())
    assert expected and {_period(k): v for k, v in expected.items()} == got


def test_saved_queries_give_the_metrics_values(semantic_manifest: dict, mf_engine, wh):
    from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

    saved = {q["name"]: q for q in semantic_manifest["saved_queries"]}
    assert {"board_revenue_monthly", "board_finance_monthly", "board_sales_monthly",
            "board_marketing_monthly"} <= set(saved)
    for name, query in saved.items():
        metrics = list(query["query_params"]["metrics"])
        sql = mf_engine.explain(MetricFlowQueryRequest.create(saved_query_name=name)).sql_statement.sql
        cursor = wh.execute(sql)
        columns = [c[0] for c in cursor.description]
        rows = cursor.fetchall()
        assert rows and set(metrics) <= set(columns), name
        by_month = {_period(row[columns.index("metric_time__month")]): row for row in rows}
        for metric in metrics:
            alone = dict(wh.execute(mf_sql(mf_engine, [metric], ["metric_time__month"])).fetchall())
            for month, value in alone.items():
                assert_same(f"{name}.{metric}", month, by_month[_period(month)][columns.index(metric)], value)


def test_time_spine_covers_every_month_day_by_day(wh, manifest: dict):
    first, last, days, distinct = wh.execute(
        "select min(date_day), max(date_day), count(*), count(distinct date_day) from intermediate.int_time_spine_daily"
    ).fetchone()
    month_first, month_last = wh.execute(
        "select min(month), max(month_last_date) from intermediate.int_months"
    ).fetchone()
    assert (first, last) == (month_first, month_last)
    assert days == distinct == (last - first).days + 1
    node = manifest["nodes"]["model.revops_warehouse.int_time_spine_daily"]
    assert node["time_spine"]["standard_granularity_column"] == "date_day"
    assert node["columns"]["date_day"]["granularity"] == "day"


def test_semantic_models_read_columns_their_marts_have(semantic_manifest: dict, manifest: dict):
    """dbt parse validates the semantic manifest; this checks the columns each semantic model reads
    are documented columns of its mart (an expression's columns are checked by the queries above)."""
    nodes = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"}
    for model in semantic_manifest["semantic_models"]:
        mart = nodes[model["node_relation"]["alias"]]
        columns = set(mart["columns"])
        for element in model["entities"] + model["dimensions"] + model["measures"]:
            expr = element.get("expr") or element["name"]
            if expr.isidentifier():
                assert expr in columns, f"{model['name']}.{element['name']}: {expr} is not a column of {mart['name']}"


# ------------------------------------------------------------------------------------ the mf command line
def _mf_project(tmp_path: Path) -> Path:
    """A project directory for `mf`, which reads target/semantic_manifest.json under the project
    root: the repository's files linked in, and the test build's semantic manifest copied."""
    project = tmp_path / "project"
    (project / "target").mkdir(parents=True)
    for name in ("dbt_project.yml", "models", "macros", "seeds", "tests", "analyses", "profiles"):
        if (REPO / name).exists():
            (project / name).symlink_to(REPO / name)
    (project / "target" / "semantic_manifest.json").write_bytes((TARGET / "semantic_manifest.json").read_bytes())
    return project


def _run_mf(args: list[str], project: Path, warehouse: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "WAREHOUSE_PATH": str(warehouse), "DBT_PROFILES_DIR": str(REPO / "profiles"),
           "DUCKDB_ACCESS_MODE": "read_only"}
    result = subprocess.run([str(MF), *args], cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"mf {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def _read_csv(path: Path) -> dict[dt.date, dict[str, str]]:
    with path.open(newline="") as handle:
        return {dt.date.fromisoformat(row["metric_time__month"][:10]): row for row in csv.DictReader(handle)}


def test_mf_query_cli_gives_mrr_and_nrr_by_month(tmp_path: Path, built: Path, wh):
    """The README's command, run as a user would, read-only beside this process's own connection."""
    project = _mf_project(tmp_path)
    out = tmp_path / "mrr.csv"
    _run_mf(["query", "--metrics", "mrr,nrr", "--group-by", "metric_time__month", "--csv", str(out), "--quiet"],
            project, built)
    got = _read_csv(out)
    expected = wh.execute(f"select month, mrr, nrr_t12m from {R}").fetchall()
    assert expected and set(got) == {month for month, *_ in expected}
    for month, mrr, nrr in expected:
        assert Decimal(got[month]["mrr"]) == mrr, month
        assert_same("nrr", month, float(got[month]["nrr"]) if got[month]["nrr"] else None, nrr)


def test_mf_saved_query_and_validate_configs_pass(tmp_path: Path, built: Path, wh):
    project = _mf_project(tmp_path)
    out = tmp_path / "board.csv"
    _run_mf(["query", "--saved-query", "board_marketing_monthly", "--csv", str(out), "--quiet"], project, built)
    got = _read_csv(out)
    expected = dict(wh.execute(f"select month, ad_spend from {MKT}").fetchall())
    assert {month: Decimal(row["ad_spend"]) for month, row in got.items()} == expected
    result = _run_mf(["validate-configs"], project, built)
    assert "ERRORS: 0" in result.stdout and "Successfully validated metrics against data warehouse" in result.stdout


def test_every_mf_command_of_the_readme_answers(tmp_path: Path, built: Path, wh):
    """The README's examples are what an analyst tries first: each must run and return rows."""
    import shlex

    commands = [
        shlex.split(line.strip())[1:]
        for line in (REPO / "README.md").read_text().splitlines()
        if line.strip().startswith(".venv/bin/mf ")
    ]
    assert any(args[:1] == ["query"] for args in commands), "the README shows no mf query"
    project = _mf_project(tmp_path)
    for args in commands:
        if "--csv" in args:
            args[args.index("--csv") + 1] = str(tmp_path / "readme.csv")
        result = _run_mf(args, project, built)
        if args[0] == "query":
            answer = (tmp_path / "readme.csv").read_text() if "--csv" in args else result.stdout
            data_lines = [line for line in answer.splitlines() if line[:4].isdigit()]
            assert data_lines, f"mf {' '.join(args)} returned no rows:\n{answer[-2000:]}"
