with base as (
    select * from {{ ref('base_stripe__customer') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as customer_id,
        {{ json_string('metadata', 'sf_account_id') }} as salesforce_account_id,

        -- strings
        {{ clean_text('name') }} as customer_name,
        {{ clean_email('email') }} as email,
        {{ email_domain('email') }} as email_domain,
        {{ clean_text('description') }} as description,
        upper(trim(currency)) as currency_code,
        upper(trim(address_country)) as country_code,
        replace({{ clean_enum(json_string('metadata', 'sales_channel')) }}, '_', '-') as sales_channel,

        -- booleans
        coalesce(delinquent, false) as is_delinquent,

        -- timestamps
        created as created_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
