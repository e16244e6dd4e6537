with base as (
    select * from {{ ref('base_salesforce__contact') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as contact_id,
        account_id,
        owner_id as owner_user_id,

        -- strings
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ clean_email('email') }} as email,
        {{ email_domain('email') }} as email_domain,
        {{ clean_text('phone') }} as phone,
        {{ clean_text('title') }} as title,
        {{ clean_text('lead_source') }} as lead_source,

        -- timestamps
        {{ iso_to_utc('created_date') }} as created_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
