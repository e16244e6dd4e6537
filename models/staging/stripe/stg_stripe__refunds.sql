with base as (
    select * from {{ ref('base_stripe__refund') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as refund_id,
        charge_id,

        -- strings
        trim(status) as refund_status,
        trim(reason) as refund_reason,
        upper(trim(currency)) as currency_code,

        -- numerics
        {{ minor_units_to_decimal('amount', 'currency') }} as amount,

        -- timestamps
        created as created_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
