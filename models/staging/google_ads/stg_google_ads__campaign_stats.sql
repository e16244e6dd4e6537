with base as (
    select * from {{ ref('base_google_ads__campaign_stats') }}
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
        clicks,
        {{ micros_to_decimal('cost_micros') }} as spend,
        conversions,
        cast(conversions_value as decimal(18, 2)) as conversions_value,

        -- dates
        date as date_day,

        -- timestamps
        {{ local_day_start_utc('date', 'account_time_zone') }} as day_start_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
