-- One row per line of a finalized invoice, classified by revenue model: recurring (a subscription
-- line of a recurring price, licensed per seat or metered by usage, prorations included) or one-time
-- (an invoice item, or a line of a one_time price). Amounts are the line's amount (quantity x unit
-- price, before the invoice's discounts and tax), counted in the month the invoice was finalized
-- (like billings) and converted at that month's rate, rounded to the cent once per line. The lines
-- and their price's usage type come from int_invoice_line_items_priced (incremental); the invoice's
-- status, month and customer and the FX rate change later, so they are joined here on every run.
with invoice_line_items as (
    select * from {{ ref('int_invoice_line_items_priced') }}
),

invoices as (
    select * from {{ ref('int_invoices_enriched') }}
    where finalized_at is not null
),

fx_rates as (
    select * from {{ ref('int_fx_rates_monthly') }}
),

classified as (
    select
        invoice_line_items.invoice_line_item_id,
        invoice_line_items.invoice_id,
        invoice_line_items.subscription_id,
        invoice_line_items.price_id,
        invoices.stripe_customer_id,
        invoices.customer_id,
        invoices.sales_channel,
        invoices.invoice_status,
        invoice_line_items.line_item_type,
        invoice_line_items.currency_code,
        invoice_line_items.amount,
        invoice_line_items.is_proration,
        invoices.finalized_month as month,
        invoice_line_items.price_usage_type
    from invoice_line_items
    inner join invoices
        on invoice_line_items.invoice_id = invoices.invoice_id
),

final as (
    select
        -- ids
        classified.invoice_line_item_id,
        classified.invoice_id,
        classified.subscription_id,
        classified.price_id,
        classified.stripe_customer_id,
        classified.customer_id,

        -- strings
        case when classified.price_usage_type = 'one_time' then 'one-time' else 'recurring' end
            as revenue_model,
        classified.price_usage_type,
        classified.line_item_type,
        classified.invoice_status,
        classified.sales_channel,
        classified.currency_code,

        -- numerics
        classified.amount,
        fx_rates.rate_to_reporting,
        {{ to_reporting_currency('classified.amount', 'fx_rates.rate_to_reporting') }} as amount_reporting,

        -- booleans
        classified.is_proration,

        -- dates
        classified.month
    from classified
    left join fx_rates
        on
            classified.month = fx_rates.month
            and classified.currency_code = fx_rates.currency_code
)

select * from final
