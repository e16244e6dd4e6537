with base as (
    select * from {{ ref('base_linkedin_ads__ad_analytics_by_campaign') }}
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
        'UTC' as time_zone,

        -- numerics
        impressions,
        clicks,
        cast(cost_in_local_currency as decimal(18, 2)) as spend,

        -- dates
        day as date_day,

        -- timestamps
        -- LinkedIn reports its days in UTC: the day starts at UTC midnight.
        {{ local_day_start_utc('day', "'UTC'") }} as day_start_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
