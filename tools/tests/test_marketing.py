"""Marketing marts against independent recomputations from the raw data and the seeds (issue 7:
web sessions, marketing touches, attribution, ad spend, CAC). Each test recomputes its figure in
Python from raw tables (or staging where the rule under test is not staging's) and compares it with
what the marts say; no expected number is copied from the output."""
from __future__ import annotations

import csv
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from conftest import REPO

CENT = Decimal("0.01")
MODELS = ("first_touch", "last_touch", "linear")
SESSION_TIMEOUT = timedelta(minutes=30)  # var session_timeout_minutes (dbt_project.yml default)


def reporting_rates() -> dict[tuple[date, str], Decimal]:
    """{(month, currency): units of USD per unit}, read from the FX seed file itself."""
    with open(REPO / "seeds" / "fx_rates_monthly.csv", newline="") as handle:
        return {
            (date.fromisoformat(row["month"]), row["currency_code"]): Decimal(row["rate_to_usd"])
            for row in csv.DictReader(handle)
        }


def to_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def latest_loads(rows: list[tuple], key_width: int) -> list[tuple]:
    """Keep the latest load (last column: _fivetran_synced) of each key (the first key_width
    columns): a re-sync lands the same row twice and only the newest copy counts."""
    latest: dict[tuple, tuple] = {}
    for row in rows:
        key = row[:key_width]
        if key not in latest or row[-1] > latest[key][-1]:
            latest[key] = row
    return list(latest.values())


def raw_spend_by_platform(con) -> dict[str, Decimal]:
    """Ad spend per platform in USD from the raw ad tables: micros to currency, the account's
    currency, the day's month rate from the FX seed, rounded to the cent per campaign and day."""
    rates = reporting_rates()

    def account_currencies(sql: str) -> dict[str, str]:
        return {account_id: currency.strip().upper()
                for account_id, currency, _ in latest_loads(con.execute(sql).fetchall(), 1)}

    google_currency = account_currencies("select id, currency_code, _fivetran_synced from raw_google_ads.account")
    facebook_currency = account_currencies("select id, currency, _fivetran_synced from raw_facebook_ads.account")
    linkedin_currency = account_currencies("select id, currency, _fivetran_synced from raw_linkedin_ads.account")
    linkedin_campaign_account = {
        campaign_id: account_id
        for campaign_id, account_id, _ in latest_loads(
            con.execute("select id, account_id, _fivetran_synced from raw_linkedin_ads.campaign").fetchall(), 1)
    }

    rows: list[tuple[str, date, str, Decimal]] = []
    for day, _campaign_id, account_id, micros, _ in latest_loads(con.execute(
        "select date, campaign_id, account_id, cost_micros, _fivetran_synced from raw_google_ads.campaign_stats"
    ).fetchall(), 2):
        rows.append(("google", day, google_currency[account_id], to_cents(Decimal(micros) / 1_000_000)))
    for day, _campaign_id, account_id, spend, _ in latest_loads(con.execute(
        "select date, campaign_id, account_id, spend, _fivetran_synced from raw_facebook_ads.basic_campaign"
    ).fetchall(), 2):
        rows.append(("facebook", day, facebook_currency[account_id], to_cents(Decimal(repr(spend)))))
    for day, campaign_id, spend, _ in latest_loads(con.execute(
        "select day, campaign_id, cost_in_local_currency, _fivetran_synced "
        "from raw_linkedin_ads.ad_analytics_by_campaign"
    ).fetchall(), 2):
        currency = linkedin_currency[linkedin_campaign_account[campaign_id]]
        rows.append(("linkedin", day, currency, to_cents(Decimal(repr(spend)))))

    totals: dict[str, Decimal] = defaultdict(Decimal)
    for platform, day, currency, spend in rows:
        month = day.replace(day=1)
        rate = rates[(month, currency)] / rates[(month, "USD")]
        totals[platform] += to_cents(spend * rate)
    return dict(totals)


def test_ad_spend_per_platform_equals_raw_spend_converted_at_monthly_rates(wh):
    """fct_ad_spend_daily's spend per platform is the raw spend (Google micros, Facebook and
    LinkedIn decimals), in the ad account's currency, converted to USD at the FX seed's rate of
    the day's month - recomputed here from the raw tables and the seed file."""
    expected = raw_spend_by_platform(wh)
    actual = dict(wh.execute("select platform, sum(spend) from marts.fct_ad_spend_daily group by platform").fetchall())
    assert set(actual) == {"google", "facebook", "linkedin"}
    assert {platform: Decimal(str(v)) for platform, v in actual.items()} == expected
    monthly = wh.execute("select sum(ad_spend) from marts.fct_marketing_monthly").fetchone()[0]
    assert Decimal(str(monthly)) == sum(expected.values())


def test_attribution_credits_sum_to_one_per_conversion_and_model(wh):
    """Every lead and every won opportunity is credited in each of the three models, and its
    credits sum to exactly 1 (the 'direct' default included)."""
    sums = wh.execute("""
        select conversion_type, coalesce(lead_id, opportunity_id), attribution_model, sum(credit)
        from marts.fct_attribution_credits
        group by all
    """).fetchall()
    assert sums, "no attribution credits"
    wrong = [row for row in sums if Decimal(str(row[3])) != 1]
    assert not wrong, f"credits not summing to 1: {wrong[:5]}"

    leads = {lead_id for (lead_id,) in wh.execute("select lead_id from staging.stg_salesforce__leads").fetchall()}
    won = {opp for (opp,) in wh.execute(
        "select opportunity_id from staging.stg_salesforce__opportunities where is_won").fetchall()}
    credited = defaultdict(set)
    for conversion_type, conversion_id, model, _ in sums:
        credited[(conversion_type, model)].add(conversion_id)
    for model in MODELS:
        assert credited[("lead", model)] == leads, f"{model}: leads credited differ from the leads"
        assert credited[("won_opportunity", model)] == won, f"{model}: won opportunities credited differ"

    # several touches: linear spreads the credit, first and last touch give it whole
    spread = wh.execute("""
        select count(*) from marts.fct_attribution_credits
        where attribution_model = 'linear' and touch_count > 1 and credit < 1
    """).fetchone()[0]
    whole = wh.execute("""
        select count(*) from marts.fct_attribution_credits
        where attribution_model in ('first_touch', 'last_touch') and credit <> 1
    """).fetchone()[0]
    assert spread > 0 and whole == 0


def test_credited_bookings_equal_total_bookings_in_every_model(wh):
    """Per model, credited bookings sum to total bookings: the won opportunities' amounts in USD
    at their close month's rate, rounded to the cent per opportunity - recomputed here from the
    staged opportunities and the FX seed file."""
    rates = reporting_rates()
    expected = Decimal(0)
    for amount, currency, close_date in wh.execute(
        "select amount, currency_code, close_date from staging.stg_salesforce__opportunities where is_won"
    ).fetchall():
        month = close_date.replace(day=1)
        expected += to_cents(Decimal(str(amount)) * rates[(month, currency)] / rates[(month, "USD")])
    assert expected > 0
    per_model = dict(wh.execute("""
        select attribution_model, sum(credited_bookings)
        from marts.fct_attribution_credits
        where conversion_type = 'won_opportunity'
        group by attribution_model
    """).fetchall())
    assert {model: Decimal(str(v)) for model, v in per_model.items()} == {model: expected for model in MODELS}


def raw_sessions_per_anonymous_id(con, sample: set[str]) -> dict[str, int]:
    """Sessions per anonymous id, cut in Python from the raw page views: the latest load of each
    message, the visitor's ISO-8601 timestamp with its offset turned into a UTC instant, and a new
    session when a page view comes 30 minutes or more after the previous one."""
    rows = con.execute(
        "select id, anonymous_id, timestamp, _fivetran_synced from raw_web.pages where anonymous_id is not null"
    ).fetchall()
    views: dict[str, list[datetime]] = defaultdict(list)
    for _, anonymous_id, stamp, _ in latest_loads(rows, 1):
        if anonymous_id in sample:
            views[anonymous_id].append(datetime.fromisoformat(stamp).astimezone(UTC))
    sessions = {}
    for anonymous_id, instants in views.items():
        instants.sort()
        sessions[anonymous_id] = 1 + sum(
            1 for earlier, later in zip(instants, instants[1:]) if later - earlier >= SESSION_TIMEOUT
        )
    return sessions


def test_sessions_per_anonymous_id_match_a_python_sessionisation_of_raw_page_views(wh):
    """For a sample of browsers (every 25th anonymous id, plus the 100 with the most page views,
    where several sessions are likely), the number of sessions in int_web_sessions equals the
    number cut in Python from the raw page views' local timestamps."""
    ids = [a for (a,) in wh.execute(
        "select distinct anonymous_id from raw_web.pages where anonymous_id is not null order by 1").fetchall()]
    busiest = [a for (a,) in wh.execute("""
        select anonymous_id from raw_web.pages where anonymous_id is not null
        group by anonymous_id order by count(*) desc, anonymous_id limit 100
    """).fetchall()]
    sample = set(ids[::25]) | set(busiest)
    expected = raw_sessions_per_anonymous_id(wh, sample)
    actual = dict(wh.execute("""
        select anonymous_id, count(*) from intermediate.int_web_sessions
        where anonymous_id is not null group by anonymous_id
    """).fetchall())
    assert len(expected) >= 100
    assert any(n > 1 for n in expected.values()), "the sample should hold browsers with several sessions"
    assert {a: actual.get(a) for a in expected} == expected


def test_sessions_without_tags_or_outside_referrer_are_direct_and_unknown_tags_other(wh):
    """Channel fallbacks on the generated sessions: a landing page without UTM tags whose referrer
    is missing or the company's own site is direct; tags that the channel seed does not list
    (the podcast sponsorship's utm_source) are other."""
    rows = wh.execute("""
        select
            channel,
            count(*) filter (
                where utm_source is null and utm_medium is null
                and (referrer_host is null or referrer_host = 'northwind-revops.example')
            ) as untagged_internal,
            count(*) filter (where utm_source = 'podcast_revops_weekly') as podcast
        from intermediate.int_web_sessions
        group by channel
    """).fetchall()
    untagged = {channel: n for channel, n, _ in rows if n}
    podcast = {channel: n for channel, _, n in rows if n}
    assert set(untagged) == {"direct"}
    assert set(podcast) == {"other"}

