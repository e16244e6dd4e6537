with base as (
    select * from {{ ref('base_salesforce__campaign_member') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as campaign_member_id,
        campaign_id,
        lead_id,
        contact_id,

        -- strings
        {{ clean_text('status') }} as member_status,

        -- booleans
        coalesce(has_responded, false) as has_responded,

        -- dates
        {{ dbt.safe_cast('first_responded_date', api.Column.translate_type('date')) }} as first_responded_date,

        -- timestamps
        {{ iso_to_utc('created_date') }} as created_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
