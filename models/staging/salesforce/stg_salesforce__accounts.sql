with base as (
    select * from {{ ref('base_salesforce__account') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as account_id,
        parent_id as parent_account_id,
        owner_id as owner_user_id,
        {{ clean_text('stripe_customer_id_c') }} as stripe_customer_id,

        -- strings
        {{ clean_text('name') }} as account_name,
        {{ clean_domain('website') }} as website_domain,
        {{ clean_text('type') }} as account_type,
        {{ clean_text('industry') }} as industry,
        -- free text (United States, USA, us, ...): intermediate models map it to an ISO code
        -- through the country_codes seed on lower(billing_country).
        {{ clean_text('billing_country') }} as billing_country,

        -- numerics
        cast(number_of_employees as integer) as number_of_employees,
        cast(annual_revenue as decimal(18, 2)) as annual_revenue,

        -- timestamps
        {{ iso_to_utc('created_date') }} as created_at,
        {{ iso_to_utc('last_modified_date') }} as last_modified_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
