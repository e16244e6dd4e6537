with base as (
    select * from {{ ref('base_facebook_ads__account') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as account_id,

        -- strings
        {{ clean_text('name') }} as account_name,
        upper(trim(currency)) as currency_code,
        trim(timezone_name) as time_zone,

        -- timestamps
        _fivetran_synced as loaded_at
    from base
)

select * from final
