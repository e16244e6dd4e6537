-- Attributed leads and bookings, cost per lead and ROAS by attribution model, channel, ad
-- platform and campaign (kpi-definitions section 4: Cost per lead = spend / leads attributed;
-- ROAS = attributed bookings, or first-year ACV, / spend, per platform and campaign, per
-- attribution model). Grain: one row per month, attribution model, channel, platform and
-- campaign where spend or a credit is not zero. Leads attributed are the sum of lead credits by
-- the lead's creation month; won opportunities, bookings and first-year ACV attributed are sums
-- of credits and credited amounts by the close month (the bookings' month); spend by the ad
-- day's month, repeated for every model (spend does not depend on the model). Ratios are null
-- when the denominator is zero: conversions credited to touches without spend (organic, email,
-- events, direct) have no cost per lead or ROAS.
with credits as {{ not_materialized() }} (
    select * from {{ ref('fct_attribution_credits') }}
),

ad_spend as (
    select * from {{ ref('int_ad_spend_daily') }}
),

attribution_models as (
    select distinct attribution_model from credits
),

lead_credits as (
    select
        conversion_month as month,
        attribution_model,
        channel,
        platform,
        campaign,
        cast(0 as decimal(18, 2)) as spend,
        sum(credit) as leads_attributed,
        cast(0 as decimal(18, 10)) as won_opportunities_attributed,
        cast(0 as decimal(18, 2)) as bookings_attributed,
        cast(0 as decimal(18, 2)) as first_year_acv_attributed
    from credits
    where conversion_type = 'lead'
    group by conversion_month, attribution_model, channel, platform, campaign
),

opportunity_credits as (
    select
        booking_month as month,
        attribution_model,
        channel,
        platform,
        campaign,
        cast(0 as decimal(18, 2)) as spend,
        cast(0 as decimal(18, 10)) as leads_attributed,
        sum(credit) as won_opportunities_attributed,
        sum(credited_bookings) as bookings_attributed,
        sum(credited_first_year_acv) as first_year_acv_attributed
    from credits
    where conversion_type = 'won_opportunity'
    group by booking_month, attribution_model, channel, platform, campaign
),

spend_sums as (
    select
        ad_spend.month,
        attribution_models.attribution_model,
        ad_spend.channel,
        ad_spend.platform,
        ad_spend.campaign,
        sum(ad_spend.spend) as spend,
        cast(0 as decimal(18, 10)) as leads_attributed,
        cast(0 as decimal(18, 10)) as won_opportunities_attributed,
        cast(0 as decimal(18, 2)) as bookings_attributed,
        cast(0 as decimal(18, 2)) as first_year_acv_attributed
    from ad_spend
    cross join attribution_models
    group by
        ad_spend.month,
        attribution_models.attribution_model,
        ad_spend.channel,
        ad_spend.platform,
        ad_spend.campaign
),

unioned as (
    select * from lead_credits
    union all
    select * from opportunity_credits
    union all
    select * from spend_sums
),

summed as (
    select
        month,
        attribution_model,
        channel,
        platform,
        campaign,
        cast(sum(spend) as decimal(18, 2)) as spend,
        cast(sum(leads_attributed) as decimal(18, 10)) as leads_attributed,
        cast(sum(won_opportunities_attributed) as decimal(18, 10)) as won_opportunities_attributed,
        cast(sum(bookings_attributed) as decimal(18, 2)) as bookings_attributed,
        cast(sum(first_year_acv_attributed) as decimal(18, 2)) as first_year_acv_attributed
    from unioned
    group by month, attribution_model, channel, platform, campaign
),

final as (
    select
        {{ dbt.hash(dbt.concat([
            "cast(month as " ~ dbt.type_string() ~ ")", "'|'", "attribution_model", "'|'", "channel", "'|'",
            "coalesce(platform, '')", "'|'", "coalesce(campaign, '')"
        ])) }} as marketing_attribution_month_id,
        month,
        attribution_model,
        channel,
        platform,
        campaign,
        spend,
        leads_attributed,
        won_opportunities_attributed,
        bookings_attributed,
        first_year_acv_attributed,
        {{ money_quotient('spend', 'leads_attributed') }} as cost_per_lead,
        cast(bookings_attributed / nullif(spend, 0) as decimal(18, 6)) as roas,
        cast(first_year_acv_attributed / nullif(spend, 0) as decimal(18, 6)) as roas_first_year_acv
    from summed
)

select * from final
