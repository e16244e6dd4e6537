with base as (
    select * from {{ ref('base_google_ads__campaign') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as campaign_id,
        account_id,

        -- strings
        {{ clean_text('name') }} as campaign_name,
        {{ utm_campaign_from_name('name') }} as utm_campaign,
        upper({{ clean_text('status') }}) as campaign_status,
        upper({{ clean_text('advertising_channel_type') }}) as advertising_channel_type,

        -- timestamps
        _fivetran_synced as loaded_at
    from base
)

select * from final
