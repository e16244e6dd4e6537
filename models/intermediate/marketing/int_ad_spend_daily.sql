-- Ad spend of Google, Facebook and LinkedIn unified, one row per platform, campaign and day (the
-- day as the platform reports it, in the ad account's time zone). Spend is converted from the
-- account's currency into the reporting currency at the rate of the day's month and rounded to
-- the cent once, per campaign and day; every monthly or per-channel spend sums these rows.
-- Reach is given by Facebook only (null elsewhere).
with google_stats as (
    select * from {{ ref('stg_google_ads__campaign_stats') }}
),

facebook_stats as (
    select * from {{ ref('stg_facebook_ads__campaign_stats') }}
),

linkedin_stats as (
    select * from {{ ref('stg_linkedin_ads__campaign_stats') }}
),

ad_campaigns as (
    select * from {{ ref('int_ad_campaigns_unioned') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_monthly') }}
),

unioned as (
    select
        'google' as platform,
        account_id,
        campaign_id,
        currency_code,
        date_day,
        day_start_at,
        impressions,
        clicks,
        cast(null as {{ dbt.type_bigint() }}) as reach,
        spend
    from google_stats

    union all

    select
        'facebook' as platform,
        account_id,
        campaign_id,
        currency_code,
        date_day,
        day_start_at,
        impressions,
        clicks,
        reach,
        spend
    from facebook_stats

    union all

    select
        'linkedin' as platform,
        account_id,
        campaign_id,
        currency_code,
        date_day,
        day_start_at,
        impressions,
        clicks,
        cast(null as {{ dbt.type_bigint() }}) as reach,
        spend
    from linkedin_stats
),

final as (
    select
        {{ dbt.concat([
            "unioned.platform", "'|'", "unioned.campaign_id", "'|'",
            "cast(unioned.date_day as " ~ dbt.type_string() ~ ")"
        ]) }} as ad_spend_id,
        unioned.platform,
        unioned.account_id,
        unioned.campaign_id,
        {{ dbt.concat(["unioned.platform", "':'", "unioned.campaign_id"]) }} as ad_campaign_key,
        ad_campaigns.campaign_name,
        ad_campaigns.utm_campaign,
        -- the campaign as marketing marts name it: its UTM campaign, else its name
        coalesce(ad_campaigns.utm_campaign, ad_campaigns.campaign_name) as campaign,
        ad_campaigns.channel,
        unioned.date_day,
        cast({{ dbt.date_trunc('month', 'unioned.date_day') }} as date) as month,
        unioned.day_start_at,
        unioned.currency_code,
        cast(unioned.impressions as {{ dbt.type_bigint() }}) as impressions,
        cast(unioned.clicks as {{ dbt.type_bigint() }}) as clicks,
        cast(unioned.reach as {{ dbt.type_bigint() }}) as reach,
        unioned.spend as spend_local,
        cast(round(unioned.spend * fx_rates.rate_to_reporting, 2) as decimal(18, 2)) as spend
    from unioned
    left join ad_campaigns
        on
            unioned.platform = ad_campaigns.platform
            and unioned.campaign_id = ad_campaigns.campaign_id
    left join fx_rates
        on
            cast({{ dbt.date_trunc('month', 'unioned.date_day') }} as date) = fx_rates.month
            and unioned.currency_code = fx_rates.currency_code
)

select * from final
