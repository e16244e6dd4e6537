with base as (
    select * from {{ ref('base_stripe__invoice') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as invoice_id,
        customer_id,
        subscription_id,

        -- strings
        {{ clean_text('number') }} as invoice_number,
        trim(status) as invoice_status,
        trim(billing_reason) as billing_reason,
        upper(trim(currency)) as currency_code,

        -- numerics
        {{ minor_units_to_decimal('subtotal', 'currency') }} as subtotal,
        {{ minor_units_to_decimal('tax', 'currency') }} as tax,
        {{ minor_units_to_decimal('total', 'currency') }} as total,
        {{ minor_units_to_decimal('amount_due', 'currency') }} as amount_due,
        {{ minor_units_to_decimal('amount_paid', 'currency') }} as amount_paid,
        {{ minor_units_to_decimal('amount_remaining', 'currency') }} as amount_remaining,

        -- timestamps
        created as created_at,
        due_date as due_at,
        period_start as period_start_at,
        period_end as period_end_at,
        status_transitions_finalized_at as finalized_at,
        status_transitions_paid_at as paid_at,
        status_transitions_voided_at as voided_at,
        status_transitions_marked_uncollectible_at as marked_uncollectible_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
