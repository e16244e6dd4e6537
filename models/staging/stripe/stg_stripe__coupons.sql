with base as (
    select * from {{ ref('base_stripe__coupon') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as coupon_id,

        -- strings
        {{ clean_text('name') }} as coupon_name,
        upper(trim(currency)) as currency_code,
        trim(duration) as duration,

        -- numerics
        {{ minor_units_to_decimal('amount_off', 'currency') }} as amount_off,
        cast(percent_off as decimal(9, 4)) as percent_off,
        duration_in_months,

        -- timestamps
        created as created_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
