with base as (
    select * from {{ ref('base_stripe__credit_note') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as credit_note_id,
        invoice_id,

        -- strings
        trim(status) as credit_note_status,
        trim(type) as credit_note_type,
        trim(reason) as credit_note_reason,
        upper(trim(currency)) as currency_code,

        -- numerics
        {{ minor_units_to_decimal('amount', 'currency') }} as amount,

        -- timestamps
        created as created_at,
        voided_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
