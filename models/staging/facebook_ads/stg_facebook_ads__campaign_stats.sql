with base as (
    select * from {{ ref('base_facebook_ads__basic_campaign') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        source_row_id as campaign_stats_id,
        account_id,
        campaign_id,

        -- strings
        account_currency_code as currency_code,
        account_time_zone as time_zone,

        -- numerics
        impressions,
        reach,
        frequency,
        inline_link_clicks as clicks,
        cast(spend as decimal(18, 2)) as spend,

        -- dates
        date as date_day,

        -- timestamps
        {{ local_day_start_utc('date', 'account_time_zone') }} as day_start_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
