-- One row per month, sales channel and price usage type (licensed, metered, one_time) with invoice
-- lines: billed revenue split by revenue model (recurring = licensed + metered subscription
-- prices, one-time = invoice items and one_time prices) and by the customer's sales channel, in the
-- reporting currency. Lines count in the month their invoice was finalized (as billings do) at their
-- amount before the invoice's discounts and tax, so a month's total is the subtotal of the invoices
-- in its billings.
with invoice_lines as (
    select * from {{ ref('int_invoice_lines_classified') }}
),

aggregated as (
    select
        month,
        sales_channel,
        revenue_model,
        price_usage_type,
        count(*) as invoice_lines,
        sum(amount_reporting) as billed_revenue_reporting,
        sum(case when is_proration then amount_reporting else 0 end) as proration_reporting
    from invoice_lines
    group by month, sales_channel, revenue_model, price_usage_type
),

final as (
    select
        -- ids
        {{ dbt.concat([
            "cast(month as " ~ dbt.type_string() ~ ")", "'|'", "sales_channel", "'|'", "price_usage_type"
        ]) }} as billed_revenue_month_id,

        -- strings
        sales_channel,
        revenue_model,
        price_usage_type,

        -- dates
        month,

        -- numerics
        cast(invoice_lines as bigint) as invoice_lines,
        cast(billed_revenue_reporting as decimal(18, 2)) as billed_revenue_reporting,
        cast(proration_reporting as decimal(18, 2)) as proration_reporting
    from aggregated
)

select * from final
