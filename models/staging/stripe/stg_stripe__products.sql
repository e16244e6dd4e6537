with base as (
    select * from {{ ref('base_stripe__product') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as product_id,

        -- strings
        {{ clean_text('name') }} as product_name,

        -- booleans
        coalesce(active, false) as is_active,

        -- timestamps
        created as created_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
