-- Ad spend, impressions, clicks and reach by platform, campaign and day (kpi-definitions
-- section 4, Spend and ad Engagement rate), spend in reporting currency. Grain: one row per ad
-- platform, campaign and day (int_ad_spend_daily). The day's rates: click-through rate =
-- clicks / impressions, frequency = impressions / reach where the platform gives reach (null
-- when a denominator is zero or missing). Longer periods recompute rates from summed counts.
with spend as (
    select * from {{ ref('int_ad_spend_daily') }}
),

final as (
    select
        ad_spend_id,
        platform,
        account_id,
        campaign_id,
        ad_campaign_key,
        campaign_name,
        utm_campaign,
        campaign,
        channel,
        date_day,
        month,
        day_start_at,
        currency_code,
        spend_local,
        spend,
        impressions,
        clicks,
        reach,
        cast(clicks / nullif(cast(impressions as decimal(18, 6)), 0) as decimal(18, 6)) as click_through_rate,
        cast(impressions / nullif(cast(reach as decimal(18, 6)), 0) as decimal(18, 6)) as frequency
    from spend
)

select * from final
