-- Ad spend of Google, Facebook and LinkedIn unified, one row per platform, campaign and day (the
-- day as the platform reports it, in the ad account's time zone). Spend is converted from the
-- account's currency into the reporting currency at the rate of the day's month and rounded to
-- the cent once, per campaign and day; every monthly or per-channel spend sums these rows.
-- Reach is given by Facebook only (null elsewhere). The stats come from int_ad_stats_unioned
-- (incremental); this view adds what can change for old days - the campaign's names and channel,
-- the FX rate - each time it is read.
with ad_stats as (
    select * from {{ ref('int_ad_stats_unioned') }}
),

ad_campaigns as (
    select * from {{ ref('int_ad_campaigns_unioned') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_monthly') }}
),

final as (
    select
        ad_stats.ad_spend_id,
        ad_stats.platform,
        ad_stats.account_id,
        ad_stats.campaign_id,
        {{ dbt.concat(["ad_stats.platform", "':'", "ad_stats.campaign_id"]) }} as ad_campaign_key,
        ad_campaigns.campaign_name,
        ad_campaigns.utm_campaign,
        -- the campaign as marketing marts name it: its UTM campaign, else its name
        coalesce(ad_campaigns.utm_campaign, ad_campaigns.campaign_name) as campaign,
        ad_campaigns.channel,
        ad_stats.date_day,
        cast({{ dbt.date_trunc('month', 'ad_stats.date_day') }} as date) as month,
        ad_stats.day_start_at,
        ad_stats.currency_code,
        ad_stats.impressions,
        ad_stats.clicks,
        ad_stats.reach,
        ad_stats.spend as spend_local,
        cast(round(ad_stats.spend * fx_rates.rate_to_reporting, 2) as decimal(18, 2)) as spend
    from ad_stats
    left join ad_campaigns
        on
            ad_stats.platform = ad_campaigns.platform
            and ad_stats.campaign_id = ad_campaigns.campaign_id
    left join fx_rates
        on
            cast({{ dbt.date_trunc('month', 'ad_stats.date_day') }} as date) = fx_rates.month
            and ad_stats.currency_code = fx_rates.currency_code
)

select * from final
