with base as (
    select * from {{ ref('base_stripe__charge') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as charge_id,
        customer_id,
        invoice_id,

        -- strings
        trim(status) as charge_status,
        trim(failure_code) as failure_code,
        upper(trim(currency)) as currency_code,

        -- numerics
        {{ minor_units_to_decimal('amount', 'currency') }} as amount,
        {{ minor_units_to_decimal('amount_refunded', 'currency') }} as amount_refunded,

        -- booleans
        coalesce(paid, false) as is_paid,
        coalesce(captured, false) as is_captured,

        -- timestamps
        created as created_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
