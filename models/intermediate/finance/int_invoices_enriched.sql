-- One row per Stripe invoice (every status, drafts included): its customer-360 customer_id and
-- sales channel, the billing interval of its licensed recurring lines, the month it was finalized
-- (the month it counts in billings) and its amounts in the reporting currency at that month's rate,
-- each rounded to the cent once. Drafts were never finalized: no month, no reporting amounts.
with invoices as (
    select * from {{ ref('stg_stripe__invoices') }}
),

invoice_line_items as (
    select * from {{ ref('stg_stripe__invoice_line_items') }}
),

prices as (
    select * from {{ ref('stg_stripe__prices') }}
),

stripe_customers as (
    select * from {{ ref('int_stripe_customers_mapped') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_monthly') }}
),

licensed_periods as (
    -- the longest billing period (in months) among the invoice's licensed recurring prices
    select
        invoice_line_items.invoice_id,
        max(
            case prices.recurring_interval
                when 'year' then 12 * prices.recurring_interval_count
                when 'month' then prices.recurring_interval_count
                when 'week' then 0
                when 'day' then 0
            end
        ) as longest_period_months,
        max(case when prices.recurring_interval = 'week' then 1 else 0 end) as has_weekly_price,
        max(case when prices.recurring_interval = 'day' then 1 else 0 end) as has_daily_price
    from invoice_line_items
    inner join prices
        on invoice_line_items.price_id = prices.price_id
    where
        prices.price_type = 'recurring'
        and prices.recurring_usage_type = 'licensed'
    group by invoice_line_items.invoice_id
),

enriched as (
    select
        invoices.*,
        stripe_customers.customer_id as resolved_customer_id,
        coalesce(stripe_customers.sales_channel, 'unknown') as sales_channel,
        case
            when licensed_periods.longest_period_months >= 24 then 'multi-year'
            when licensed_periods.longest_period_months = 12 then 'annual'
            when licensed_periods.longest_period_months = 6 then 'semiannual'
            when licensed_periods.longest_period_months = 3 then 'quarterly'
            when licensed_periods.longest_period_months = 1 then 'monthly'
            when licensed_periods.longest_period_months > 1 then 'other'
            when licensed_periods.has_weekly_price = 1 then 'weekly'
            when licensed_periods.has_daily_price = 1 then 'daily'
        end as billing_interval,
        cast({{ dbt.date_trunc('month', 'invoices.finalized_at') }} as date) as finalized_month
    from invoices
    left join stripe_customers
        on invoices.customer_id = stripe_customers.stripe_customer_id
    left join licensed_periods
        on invoices.invoice_id = licensed_periods.invoice_id
),

final as (
    select
        -- ids
        enriched.invoice_id,
        enriched.customer_id as stripe_customer_id,
        enriched.resolved_customer_id as customer_id,
        enriched.subscription_id,

        -- strings
        enriched.invoice_number,
        enriched.invoice_status,
        enriched.billing_reason,
        enriched.billing_interval,
        enriched.sales_channel,
        enriched.currency_code,

        -- numerics, invoice currency
        enriched.subtotal,
        enriched.tax,
        enriched.total,
        enriched.amount_due,
        enriched.amount_paid,
        enriched.amount_remaining,

        -- numerics, reporting currency at the finalized month's rate
        fx_rates.rate_to_reporting,
        {{ to_reporting_currency('enriched.subtotal', 'fx_rates.rate_to_reporting') }} as subtotal_reporting,
        {{ to_reporting_currency('enriched.tax', 'fx_rates.rate_to_reporting') }} as tax_reporting,
        {{ to_reporting_currency('enriched.total', 'fx_rates.rate_to_reporting') }} as total_reporting,
        {{ to_reporting_currency('enriched.amount_due', 'fx_rates.rate_to_reporting') }} as amount_due_reporting,

        -- dates
        enriched.finalized_month,

        -- timestamps
        enriched.created_at,
        enriched.due_at,
        enriched.period_start_at,
        enriched.period_end_at,
        enriched.finalized_at,
        enriched.paid_at,
        enriched.voided_at,
        enriched.marked_uncollectible_at
    from enriched
    left join fx_rates
        on
            enriched.finalized_month = fx_rates.month
            and enriched.currency_code = fx_rates.currency_code
)

select * from final
