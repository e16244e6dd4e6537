with base as (
    select * from {{ ref('base_stripe__invoice_line_item') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as invoice_line_item_id,
        invoice_id,
        subscription_id,
        subscription_item_id,
        plan_id as price_id,

        -- strings
        trim(type) as line_item_type,
        upper(trim(currency)) as currency_code,
        {{ clean_text('description') }} as description,

        -- numerics
        {{ minor_units_to_decimal('amount', 'currency') }} as amount,
        -- decimal(18, 6): a metered line's unit price is a fraction of a cent (0.01 cent per call).
        {{ stripe_unit_amount_to_decimal('unit_amount_excluding_tax', 'currency') }} as unit_amount_excluding_tax,
        quantity,

        -- booleans
        coalesce(proration, false) as is_proration,

        -- timestamps
        period_start as period_start_at,
        period_end as period_end_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
