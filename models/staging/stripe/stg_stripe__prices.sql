with base as (
    select * from {{ ref('base_stripe__price') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as price_id,
        product_id,

        -- strings
        {{ clean_text('nickname') }} as price_nickname,
        upper(trim(currency)) as currency_code,
        trim(type) as price_type,
        trim(recurring_interval) as recurring_interval,
        trim(recurring_usage_type) as recurring_usage_type,

        -- numerics
        -- decimal(18, 6), not (18, 2): a metered price can be a fraction of a cent per unit.
        {{ stripe_unit_amount_to_decimal('unit_amount', 'currency') }} as unit_amount,
        recurring_interval_count,

        -- booleans
        coalesce(active, false) as is_active,

        -- timestamps
        created as created_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
