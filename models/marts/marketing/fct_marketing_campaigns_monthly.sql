-- Sessions, leads, conversion rate, MQL rate and ad delivery by channel and campaign
-- (kpi-definitions section 4: Conversion rate = leads / sessions by channel and campaign; MQL rate
-- = MQLs / leads; Spend; ad Engagement rate). Grain: one row per month, channel, ad platform and
-- campaign where any of them is not zero. Sessions by their start month and channel, campaign =
-- utm_campaign. Leads by creation month and acquisition (source) channel, campaign and platform
-- of the first touch that set that channel (int_leads_sourced); MQLs are those leads that reached
-- MQL (a cohort: the share of the month's leads). Spend, impressions and clicks by the ad's
-- day's month, campaign = its utm_campaign, else its name. Rates are null when the denominator
-- is zero.
with sessions as (
    select * from {{ ref('int_web_sessions') }}
),

leads as (
    select * from {{ ref('int_leads_sourced') }}
),

ad_spend as (
    select * from {{ ref('int_ad_spend_daily') }}
),

session_counts as (
    select
        session_month as month,
        channel,
        platform,
        utm_campaign as campaign,
        count(*) as sessions,
        0 as leads,
        0 as mqls,
        cast(0 as decimal(18, 2)) as spend,
        0 as impressions,
        0 as clicks
    from sessions
    group by session_month, channel, platform, utm_campaign
),

lead_counts as (
    select
        lead_month as month,
        source_channel as channel,
        platform,
        campaign,
        0 as sessions,
        count(*) as leads,
        sum(case when is_mql then 1 else 0 end) as mqls,
        cast(0 as decimal(18, 2)) as spend,
        0 as impressions,
        0 as clicks
    from leads
    group by lead_month, source_channel, platform, campaign
),

spend_sums as (
    select
        month,
        channel,
        platform,
        campaign,
        0 as sessions,
        0 as leads,
        0 as mqls,
        sum(spend) as spend,
        sum(impressions) as impressions,
        sum(clicks) as clicks
    from ad_spend
    group by month, channel, platform, campaign
),

unioned as (
    select * from session_counts
    union all
    select * from lead_counts
    union all
    select * from spend_sums
),

summed as (
    select
        month,
        channel,
        platform,
        campaign,
        cast(sum(sessions) as {{ dbt.type_bigint() }}) as sessions,
        cast(sum(leads) as {{ dbt.type_bigint() }}) as leads,
        cast(sum(mqls) as {{ dbt.type_bigint() }}) as mqls,
        cast(sum(spend) as decimal(18, 2)) as spend,
        cast(sum(impressions) as {{ dbt.type_bigint() }}) as impressions,
        cast(sum(clicks) as {{ dbt.type_bigint() }}) as clicks
    from unioned
    group by month, channel, platform, campaign
),

final as (
    select
        {{ dbt.hash(dbt.concat([
            "cast(month as " ~ dbt.type_string() ~ ")", "'|'", "channel", "'|'",
            "coalesce(platform, '')", "'|'", "coalesce(campaign, '')"
        ])) }} as marketing_campaign_month_id,
        month,
        channel,
        platform,
        campaign,
        sessions,
        leads,
        mqls,
        cast(leads / nullif(cast(sessions as decimal(18, 6)), 0) as decimal(18, 6)) as conversion_rate,
        cast(mqls / nullif(cast(leads as decimal(18, 6)), 0) as decimal(18, 6)) as mql_rate,
        spend,
        impressions,
        clicks,
        cast(clicks / nullif(cast(impressions as decimal(18, 6)), 0) as decimal(18, 6)) as click_through_rate
    from summed
)

select * from final
