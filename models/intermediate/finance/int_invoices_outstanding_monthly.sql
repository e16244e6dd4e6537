-- One row per invoice and month end at which the invoice was receivable: finalized by eom(m) and,
-- at eom(m), not yet paid, voided or marked uncollectible, read from the instants of its status
-- transitions (never from its current status). An instant t is at or before eom(m) when
-- t < next_month_start_at. amount_due is converted at the rate of the month m whose balance it is.
with invoices as (
    select * from {{ ref('int_invoices_enriched') }}
    where finalized_at is not null
),

months as (
    select * from {{ ref('int_months') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_monthly') }}
),

outstanding as (
    select
        invoices.invoice_id,
        invoices.stripe_customer_id,
        invoices.customer_id,
        invoices.sales_channel,
        invoices.currency_code,
        invoices.amount_due,
        invoices.finalized_at,
        months.month
    from invoices
    inner join months
        on
            invoices.finalized_at < months.next_month_start_at
            and (invoices.paid_at is null or invoices.paid_at >= months.next_month_start_at)
            and (invoices.voided_at is null or invoices.voided_at >= months.next_month_start_at)
            and (
                invoices.marked_uncollectible_at is null
                or invoices.marked_uncollectible_at >= months.next_month_start_at
            )
),

final as (
    select
        -- ids
        {{ dbt.concat(["outstanding.invoice_id", "'|'", "cast(outstanding.month as " ~ dbt.type_string() ~ ")"]) }}
            as invoice_month_id,
        outstanding.invoice_id,
        outstanding.stripe_customer_id,
        outstanding.customer_id,

        -- strings
        outstanding.sales_channel,
        outstanding.currency_code,

        -- numerics
        outstanding.amount_due,
        fx_rates.rate_to_reporting,
        {{ to_reporting_currency('outstanding.amount_due', 'fx_rates.rate_to_reporting') }}
            as amount_due_reporting,

        -- dates
        outstanding.month,

        -- timestamps
        outstanding.finalized_at
    from outstanding
    left join fx_rates
        on
            outstanding.month = fx_rates.month
            and outstanding.currency_code = fx_rates.currency_code
)

select * from final
