-- One row per Stripe invoice (every status, drafts included), with its customer-360 customer_id,
-- sales channel, billing interval, the month it counts in billings (finalized_month) and its
-- amounts in the reporting currency at that month's rate: the documents that billings and accounts
-- receivable are made of, for BI users to drill into.
with invoices as (
    select * from {{ ref('int_invoices_enriched') }}
),

final as (
    select
        -- ids
        invoice_id,
        customer_id,
        stripe_customer_id,
        subscription_id,

        -- strings
        invoice_number,
        invoice_status,
        billing_reason,
        billing_interval,
        sales_channel,
        currency_code,

        -- numerics, invoice currency
        subtotal,
        tax,
        total,
        amount_due,
        amount_paid,
        amount_remaining,

        -- numerics, reporting currency at the finalized month's rate
        rate_to_reporting,
        subtotal_reporting,
        tax_reporting,
        total_reporting,
        amount_due_reporting,

        -- dates
        finalized_month,

        -- timestamps
        created_at,
        due_at,
        period_start_at,
        period_end_at,
        finalized_at,
        paid_at,
        voided_at,
        marked_uncollectible_at
    from invoices
)

select * from final
