with base as (
    select * from {{ ref('base_hubspot__email_campaign') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as email_campaign_id,

        -- strings
        {{ clean_text('name') }} as email_campaign_name,
        {{ clean_text('subject') }} as subject,
        upper({{ clean_text('type') }}) as email_type,

        -- timestamps
        {{ epoch_ms_to_utc('created') }} as created_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
