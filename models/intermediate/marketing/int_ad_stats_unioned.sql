{{ config(
    materialized=incremental_materialization(),
    incremental_strategy=incremental_replace_strategy(),
    unique_key='ad_spend_id',
    on_schema_change='fail',
) }}
-- Read by incremental runs only (dbt needs the dependencies outside the is_incremental() block):
-- depends_on: {{ ref('stg_google_ads__accounts') }}
-- depends_on: {{ ref('stg_facebook_ads__accounts') }}
-- depends_on: {{ ref('stg_linkedin_ads__accounts') }}
-- depends_on: {{ ref('stg_linkedin_ads__campaigns') }}
-- The daily campaign stats of Google, Facebook and LinkedIn in one shape, as the platforms report
-- them: one row per platform, campaign and day (the day in the ad account's time zone), spend in
-- the account's currency. No campaign names, channels or FX rates: int_ad_spend_daily adds those
-- on every run, so a renamed campaign or a new FX rate never leaves an old row stale here.
--
-- Incremental: a run reads the stats rows loaded since the latest load already in the table, less
-- var incremental_lookback_days. The platforms restate recent days (late conversions, invalid
-- clicks): a restated day is a new load of the same platform, campaign and day, and the
-- unique_key replaces the earlier row. Each row also carries its account's currency and time zone
-- (staging takes them from the account's latest load; LinkedIn's account from the campaign's), so
-- the stats of every account (and LinkedIn campaign) loaded in the window are read again too,
-- whatever their own load time: a changed time zone or currency restates all of them, and stats
-- that staging rejected while their account had not landed yet are staged once it has.
-- on_schema_change fail: a new column has to be filled on every old day, so a full refresh
-- (`dbt build --full-refresh -s int_ad_stats_unioned+`), never a column of nulls.
with google_stats as {{ not_materialized() }} (
    select * from {{ ref('stg_google_ads__campaign_stats') }}
),

facebook_stats as {{ not_materialized() }} (
    select * from {{ ref('stg_facebook_ads__campaign_stats') }}
),

linkedin_stats as {{ not_materialized() }} (
    select * from {{ ref('stg_linkedin_ads__campaign_stats') }}
),

{% if is_incremental() %}
    {%- set loaded_since = incremental_lookback_start('loaded_at') %}
    google_accounts as (
        select * from {{ ref('stg_google_ads__accounts') }}
    ),

    facebook_accounts as (
        select * from {{ ref('stg_facebook_ads__accounts') }}
    ),

    linkedin_accounts as (
        select * from {{ ref('stg_linkedin_ads__accounts') }}
    ),

    linkedin_campaigns as (
        select * from {{ ref('stg_linkedin_ads__campaigns') }}
    ),

    google_accounts_reloaded as (
        select account_id from google_accounts
        where loaded_at >= {{ loaded_since }}
    ),

    facebook_accounts_reloaded as (
        select account_id from facebook_accounts
        where loaded_at >= {{ loaded_since }}
    ),

    linkedin_accounts_reloaded as (
        select account_id from linkedin_accounts
        where loaded_at >= {{ loaded_since }}
    ),

    linkedin_campaigns_reloaded as (
        select campaign_id from linkedin_campaigns
        where loaded_at >= {{ loaded_since }}
    ),

    -- per platform: the rows loaded in the window, and the older rows of the reloaded accounts
    -- (and LinkedIn campaigns); the two parts never overlap
    google_stats_to_build as (
        select * from google_stats
        where loaded_at >= {{ loaded_since }}

        union all

        select * from google_stats
        where
            loaded_at < {{ loaded_since }}
            and account_id in (select google_accounts_reloaded.account_id from google_accounts_reloaded)
    ),

    facebook_stats_to_build as (
        select * from facebook_stats
        where loaded_at >= {{ loaded_since }}

        union all

        select * from facebook_stats
        where
            loaded_at < {{ loaded_since }}
            and account_id in (select facebook_accounts_reloaded.account_id from facebook_accounts_reloaded)
    ),

    linkedin_stats_to_build as (
        select * from linkedin_stats
        where loaded_at >= {{ loaded_since }}

        union all

        select * from linkedin_stats
        where
            loaded_at < {{ loaded_since }}
            and (
                account_id in (select linkedin_accounts_reloaded.account_id from linkedin_accounts_reloaded)
                or campaign_id in (select linkedin_campaigns_reloaded.campaign_id from linkedin_campaigns_reloaded)
            )
    ),
{% else %}
    google_stats_to_build as (
        select * from google_stats
    ),

    facebook_stats_to_build as (
        select * from facebook_stats
    ),

    linkedin_stats_to_build as (
        select * from linkedin_stats
    ),
{% endif %}

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
        spend,
        loaded_at
    from google_stats_to_build

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
        spend,
        loaded_at
    from facebook_stats_to_build

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
        spend,
        loaded_at
    from linkedin_stats_to_build
),

final as (
    select
        -- ids
        {{ dbt.concat([
            "platform", "'|'", "campaign_id", "'|'",
            "cast(date_day as " ~ dbt.type_string() ~ ")"
        ]) }} as ad_spend_id,
        account_id,
        campaign_id,

        -- strings
        platform,
        currency_code,

        -- numerics
        cast(impressions as {{ dbt.type_bigint() }}) as impressions,
        cast(clicks as {{ dbt.type_bigint() }}) as clicks,
        cast(reach as {{ dbt.type_bigint() }}) as reach,
        spend,

        -- dates
        date_day,

        -- timestamps
        day_start_at,
        loaded_at
    from unioned
)

select * from final
