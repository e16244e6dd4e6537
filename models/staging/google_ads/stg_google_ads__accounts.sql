with base as (
    select * from {{ ref('base_google_ads__account') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as account_id,

        -- strings
        {{ clean_text('descriptive_name') }} as account_name,
        upper(trim(currency_code)) as currency_code,
        trim(time_zone) as time_zone,

        -- timestamps
        _fivetran_synced as loaded_at
    from base
)

select * from final
