with base as (
    select * from {{ ref('base_salesforce__product_2') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as product_id,

        -- strings
        {{ clean_text('name') }} as product_name,
        {{ clean_text('product_code') }} as product_code,
        {{ clean_text('family') }} as product_family,

        -- booleans
        coalesce(is_active, false) as is_active,

        -- timestamps
        _fivetran_synced as loaded_at
    from base
)

select * from final
