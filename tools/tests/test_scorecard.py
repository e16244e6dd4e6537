"""The KPI scorecard (issue 8: fct_kpi_scorecard, kpi-definitions section 5) against its homes.

Every KPI's company total ('all' row) must equal its home mart read by a query written here, one
per KPI, independently of the macro that maps KPIs to homes; prior-month and year-ago values must be
the scorecard's own rows one and twelve months earlier; targets, benchmarks and statuses must follow
seeds/kpi_targets.csv."""
from __future__ import annotations

import csv
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from conftest import REPO

# KPIs of the seed that have no monthly value: left out of the scorecard on purpose.
NOT_MONTHLY = {"crm_adoption_rate"}
# The attribution model whose ROAS and cost per lead the scorecard shows (var default_attribution_model).
ATTRIBUTION_MODEL = "linear"
CENT = Decimal("0.01")

REVENUE_COLUMNS = {
    "mrr": "mrr", "arr": "arr", "new_mrr": "new_mrr", "expansion_mrr": "expansion_mrr",
    "contraction_mrr": "contraction_mrr", "churned_mrr": "churn_mrr", "reactivation_mrr": "reactivation_mrr",
    "net_new_mrr": "net_new_mrr", "arpa": "arpa", "arpu": "arpu", "logo_churn_rate": "logo_churn_rate",
    "gross_mrr_churn_rate": "gross_mrr_churn_rate", "upsell_rate": "upsell_rate",
    "upsell_rate_t12m": "upsell_rate_t12m", "nrr_t12m": "nrr_t12m", "grr_t12m": "grr_t12m",
    "renewal_rate": "renewal_rate", "renewal_rate_mrr": "renewal_rate_mrr", "ltv": "ltv",
}
CASH_COLUMNS = {
    "billings": "billings_reporting", "collections": "collections_reporting",
    "accounts_receivable": "accounts_receivable_reporting", "dso_days": "dso_days",
}
FUNNEL = {  # kpi: (stage, column)
    "lead_to_mql_rate": ("lead", "stage_conversion_rate"),
    "mql_to_sql_rate": ("mql", "stage_conversion_rate"),
    "sql_to_opportunity_rate": ("sql", "stage_conversion_rate"),
    "funnel_conversion_rate": ("closed_won", "lead_cohort_conversion_rate"),
}
CLOSED_COLUMNS = {
    "win_rate_count": "win_rate_count", "win_rate_amount": "win_rate_amount",
    "sales_cycle_days_median": "median_sales_cycle_days", "sales_cycle_days_mean": "mean_sales_cycle_days",
    "lead_to_close_days_median": "median_lead_to_close_days",
}
SPEED_COLUMNS = {
    "speed_to_lead_median_hours": "median_speed_to_lead_hours",
    "speed_to_lead_mean_hours": "mean_speed_to_lead_hours",
    "speed_to_lead_within_1h_share": "answered_within_1h_share",
}
ORDER_TO_CASH_COLUMNS = {
    "order_to_cash_automation_rate": "order_to_cash_automation_rate",
    "close_to_first_invoice_days_median": "median_close_to_first_invoice_days",
    "close_to_first_payment_days_median": "median_close_to_first_payment_days",
}
MARKETING_MONTHLY_COLUMNS = {
    "ad_spend": "ad_spend", "ad_ctr": "click_through_rate", "email_open_rate": "email_open_rate",
    "email_click_rate": "email_click_rate", "session_to_lead_rate": "conversion_rate",
    "cost_per_lead": "cost_per_lead", "cac_blended": "cac_blended", "cac_payback_months": "cac_payback_months",
    "ltv_to_cac": "ltv_to_cac",
}
PAID_CHANNELS = "(select distinct channel from marts.fct_marketing_channels_monthly where is_paid_channel)"


def ratio(numerator, denominator):
    return None if numerator is None or not denominator else Decimal(numerator) / Decimal(denominator)


def money_ratio(numerator, denominator):
    value = ratio(numerator, denominator)
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


def accuracy(forecast, bookings):
    value = ratio(abs(Decimal(forecast or 0) - Decimal(bookings or 0)), bookings)
    return None if value is None else 1 - value


def expected_queries() -> dict[str, tuple[str, object]]:
    """kpi -> (SQL giving month and the home's figures of the company total, function of those
    figures giving the value; None when the query gives the value itself)."""
    queries: dict[str, tuple[str, object]] = {}
    for kpi, column in REVENUE_COLUMNS.items():
        queries[kpi] = (f"select month, {column} from marts.fct_revenue_monthly where segment_type = 'all'", None)
    bookings = "from marts.fct_bookings_monthly group by month"
    queries["bookings"] = (f"select month, sum(bookings_reporting) {bookings}", None)
    queries["in_period_bookings"] = (f"select month, sum(in_period_bookings_reporting) {bookings}", None)
    queries["annual_bookings"] = (f"select month, sum(annual_bookings_reporting) {bookings}", None)
    queries["average_deal_size"] = (f"select month, sum(bookings_reporting), sum(won_deals) {bookings}", money_ratio)
    queries["acv_average"] = (
        f"select month, sum(acv_total_reporting), sum(won_deals_with_acv) {bookings}", money_ratio
    )
    for kpi, column in CASH_COLUMNS.items():
        queries[kpi] = (f"select month, {column} from marts.fct_cash_monthly", None)
    for kpi, (stage, column) in FUNNEL.items():
        queries[kpi] = (
            f"select cohort_month, {column} from marts.fct_funnel_conversion_monthly "
            f"where source_channel = 'all' and stage_name = '{stage}'",
            None,
        )
    for kpi, column in CLOSED_COLUMNS.items():
        queries[kpi] = (
            f"select month, {column} from marts.fct_closed_opportunities_monthly "
            "where opportunity_type = 'all' and sales_channel = 'all' and source_channel = 'all'",
            None,
        )
    queries["pipeline_velocity"] = (
        "select month, pipeline_velocity from marts.fct_pipeline_velocity_monthly "
        "where opportunity_type = 'all' and sales_channel = 'all'",
        None,
    )
    queries["pipeline_coverage"] = (
        "select month, sum(pipeline_amount), sum(quota_amount) from marts.fct_pipeline_coverage_monthly "
        "group by month",
        ratio,
    )
    for kpi, column in SPEED_COLUMNS.items():
        queries[kpi] = (
            f"select month, {column} from marts.fct_speed_to_lead_monthly where source_channel = 'all'", None
        )
    queries["contact_success_per_1000_calls"] = (
        "select month, 1000 * sum(conversion_count), sum(outbound_call_count) "
        "from marts.fct_contact_success_monthly group by month",
        ratio,
    )
    queries["quote_to_order_rate"] = (
        "select month, sum(accepted_quote_count), sum(presented_quote_count) from marts.fct_quotes_monthly "
        "group by month",
        ratio,
    )
    queries["forecast_accuracy"] = (
        "select month, sum(commit_forecast_amount), sum(bookings_amount) "
        "from marts.fct_forecast_accuracy_monthly group by month",
        accuracy,
    )
    queries["forecast_accuracy_weighted"] = (
        "select month, sum(weighted_forecast_amount), sum(bookings_amount) "
        "from marts.fct_forecast_accuracy_monthly group by month",
        accuracy,
    )
    queries["quota_attainment"] = (
        "select month, sum(bookings_amount), sum(quota_amount) from marts.fct_quota_attainment_monthly "
        "group by month",
        ratio,
    )
    for kpi, column in ORDER_TO_CASH_COLUMNS.items():
        queries[kpi] = (
            f"select month, {column} from marts.fct_order_to_cash_monthly where sales_channel = 'all'", None
        )
    for kpi, column in MARKETING_MONTHLY_COLUMNS.items():
        queries[kpi] = (f"select month, {column} from marts.fct_marketing_monthly", None)
    queries["ad_frequency"] = (
        "select month, sum(impressions), sum(reach) from marts.fct_ad_spend_daily where reach is not null "
        "group by month",
        ratio,
    )
    queries["roas"] = (
        "select month, sum(bookings_attributed), sum(spend) from marts.fct_marketing_attribution_monthly "
        f"where attribution_model = '{ATTRIBUTION_MODEL}' and channel in {PAID_CHANNELS} group by month",
        ratio,
    )
    queries["cac_paid"] = (
        "select month, sum(spend), sum(new_customers) from marts.fct_marketing_channels_monthly "
        "where is_paid_channel group by month",
        money_ratio,
    )
    return queries


def seed_rows() -> dict[str, dict[str, str]]:
    with open(REPO / "seeds" / "kpi_targets.csv", encoding="utf-8", newline="") as handle:
        return {row["kpi_name"]: row for row in csv.DictReader(handle)}


def same(got, expected, unit: str) -> bool:
    """Money (usd with at most cents at home) must agree to the cent exactly; anything else to the
    scorecard's 6 decimals (it rounds a double or a longer decimal there)."""
    if got is None or expected is None:
        return got is None and expected is None
    if unit == "usd" and isinstance(expected, Decimal) and expected == expected.quantize(CENT):
        return Decimal(got) == expected
    return abs(float(got) - float(expected)) <= 1e-6 * max(1.0, abs(float(expected)))


def add_months(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def test_every_monthly_kpi_of_the_seed_is_on_the_scorecard_and_the_weekly_one_is_not(wh):
    """The scorecard shows exactly the seed's KPIs less the declared non-monthly ones, each with a
    company total, and every KPI has an expected home query in this test."""
    seed = set(seed_rows())
    shown = {kpi for (kpi,) in wh.execute("select distinct kpi_name from marts.fct_kpi_scorecard").fetchall()}
    with_total = {
        kpi for (kpi,) in wh.execute(
            "select distinct kpi_name from marts.fct_kpi_scorecard where segment_type = 'all'"
        ).fetchall()
    }
    assert NOT_MONTHLY <= seed, "the declared non-monthly KPIs must be seed KPIs"
    assert shown == seed - NOT_MONTHLY, f"missing {seed - NOT_MONTHLY - shown}, unexpected {shown - seed}"
    assert with_total == shown, f"KPIs without a company total: {shown - with_total}"
    assert set(expected_queries()) == shown, "this test must know the home of every KPI"


def test_company_totals_equal_their_home_marts_month_by_month(wh):
    """For every KPI and month, the 'all' value equals the home mart's figure read by this test's
    own query (money to the cent), and the months are the home's months."""
    units = {kpi: row["unit"] for kpi, row in seed_rows().items()}
    problems = []
    for kpi, (sql, combine) in expected_queries().items():
        expected = {}
        for month, *figures in wh.execute(sql).fetchall():
            expected[month] = combine(*figures) if combine else figures[0]
        got = dict(wh.execute(
            "select month, value from marts.fct_kpi_scorecard where kpi_name = ? and segment_type = 'all'", [kpi]
        ).fetchall())
        assert expected, f"{kpi}: its home has no rows"
        if set(got) != set(expected):
            problems.append(f"{kpi}: months differ ({len(got)} vs home {len(expected)})")
            continue
        assert any(value is not None for value in expected.values()), f"{kpi}: the home never has a value"
        problems += [
            f"{kpi} {month}: scorecard {got[month]} != home {value}"
            for month, value in sorted(expected.items())
            if not same(got[month], value, units[kpi])
        ]
    assert not problems, "\n".join(problems[:30])


def test_segment_rows_equal_their_home_rows(wh):
    """Segments are read the same way: a rolled-up home's segment row is the home row with that
    dimension set and the others at 'all' (win rate by acquisition channel), and a summed home's
    segment is the sum over the other dimensions (bookings by opportunity type)."""
    cases = [
        (
            "win_rate_count", "acquisition_channel",
            "select month, source_channel, win_rate_count from marts.fct_closed_opportunities_monthly "
            "where opportunity_type = 'all' and sales_channel = 'all' and source_channel <> 'all'",
        ),
        (
            "bookings", "opportunity_type",
            "select month, opportunity_type, sum(bookings_reporting) from marts.fct_bookings_monthly group by all",
        ),
        (
            "mrr", "plan",
            "select month, segment_value, mrr from marts.fct_revenue_monthly where segment_type = 'plan'",
        ),
    ]
    for kpi, segment_type, sql in cases:
        expected = {(month, value): figure for month, value, figure in wh.execute(sql).fetchall()}
        got = {
            (month, value): figure for month, value, figure in wh.execute(
                "select month, segment_value, value from marts.fct_kpi_scorecard "
                "where kpi_name = ? and segment_type = ?",
                [kpi, segment_type],
            ).fetchall()
        }
        assert expected and got.keys() == expected.keys(), f"{kpi} by {segment_type}: segment rows differ"
        wrong = [key for key in expected if not same(got[key], expected[key], "ratio")]
        assert not wrong, f"{kpi} by {segment_type}: {wrong[:5]}"


def test_prior_month_and_year_ago_are_the_scorecards_own_rows_one_and_twelve_months_earlier(wh):
    rows = wh.execute("""
        select kpi_name, segment_type, segment_value, month, value, prior_month_value, year_ago_value,
            change_vs_prior_month, change_vs_year_ago
        from marts.fct_kpi_scorecard
    """).fetchall()
    value_at = {(kpi, st, sv, month): value for kpi, st, sv, month, value, *_ in rows}
    checked_prior = checked_year = 0
    for kpi, st, sv, month, value, prior, year_ago, change_prior, change_year in rows:
        expected_prior = value_at.get((kpi, st, sv, add_months(month, -1)))
        expected_year = value_at.get((kpi, st, sv, add_months(month, -12)))
        assert prior == expected_prior, f"{kpi} {st}={sv} {month}: prior {prior} != {expected_prior}"
        assert year_ago == expected_year, f"{kpi} {st}={sv} {month}: year ago {year_ago} != {expected_year}"
        assert change_prior == (None if value is None or prior is None else value - prior)
        assert change_year == (None if value is None or year_ago is None else value - year_ago)
        checked_prior += prior is not None
        checked_year += year_ago is not None
    assert checked_prior > 0 and checked_year > 0, "no row has a prior month or a year-ago value"


def test_targets_benchmarks_and_status_follow_the_seed(wh):
    seed = seed_rows()
    rows = wh.execute("""
        select kpi_name, kpi_group, unit, direction, target_value, benchmark_value, benchmark_source,
            definition, value, status
        from marts.fct_kpi_scorecard
    """).fetchall()
    statuses = set()
    for kpi, group, unit, direction, target, benchmark, source, definition, value, status in rows:
        row = seed[kpi]
        assert (group, unit, direction, definition) == (
            row["kpi_group"], row["unit"], row["direction"], row["definition"]
        ), kpi
        assert target == (Decimal(row["target_value"]) if row["target_value"] else None), kpi
        assert benchmark == (Decimal(row["benchmark_value"]) if row["benchmark_value"] else None), kpi
        assert source == (row["benchmark_source"] or None), kpi
        if value is None:
            expected = "no_value"
        elif target is None:
            expected = "no_target"
        elif direction == "higher_is_better":
            expected = "on_target" if value >= target else "off_target"
        else:
            expected = "on_target" if value <= target else "off_target"
        assert status == expected, f"{kpi}: value {value}, target {target}, {direction}: {status}"
        statuses.add(status)
    assert {"on_target", "off_target"} <= statuses, "the generated company should hit some targets and miss others"
