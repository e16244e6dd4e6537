with base as (
    select * from {{ ref('base_salesforce__lead') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as lead_id,
        owner_id as owner_user_id,
        converted_account_id,
        converted_contact_id,
        converted_opportunity_id,

        -- strings
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ clean_email('email') }} as email,
        {{ email_domain('email') }} as email_domain,
        {{ clean_text('company') }} as company_name,
        {{ clean_domain('website') }} as website_domain,
        {{ clean_text('phone') }} as phone,
        {{ clean_text('status') }} as lead_status,
        {{ clean_text('lead_source') }} as lead_source,

        -- booleans
        coalesce(is_converted, false) as is_converted,

        -- dates
        {{ dbt.safe_cast('converted_date', api.Column.translate_type('date')) }} as converted_date,

        -- timestamps
        {{ iso_to_utc('created_date') }} as created_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
