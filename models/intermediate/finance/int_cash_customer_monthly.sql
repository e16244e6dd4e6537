-- One row per customer (customer_id) and month in which the customer was billed, paid, was refunded
-- or owed money at month end: billings, collections and accounts receivable, in the reporting
-- currency. The one computation of these KPIs; fct_cash_monthly and fct_cash_customer_monthly
-- select from it.
--   billings    = total of invoices finalized in m (finalized_at) - credit notes created in m that
--                 are not voided
--   collections = succeeded charges created in m - succeeded refunds created in m
--   AR at eom(m) = amount_due of the invoices receivable at eom(m) (int_invoices_outstanding_monthly)
-- Every document (invoice, credit note, charge, refund) is converted at the rate of its month and
-- rounded to the cent once (charges in int_charges_converted, incremental); the sums here and above
-- are sums of those cents, so every roll-up agrees to the cent with the documents BI users drill
-- into.
with invoices as {{ not_materialized() }} (
    select * from {{ ref('int_invoices_enriched') }}
),

credit_notes as (
    select * from {{ ref('stg_stripe__credit_notes') }}
),

charges as {{ not_materialized() }} (
    select * from {{ ref('int_charges_converted') }}
),

refunds as (
    select * from {{ ref('stg_stripe__refunds') }}
),

stripe_customers as {{ not_materialized() }} (
    select * from {{ ref('int_stripe_customers_mapped') }}
),

outstanding_invoices as (
    select * from {{ ref('int_invoices_outstanding_monthly') }}
),

fx_rates as {{ not_materialized() }} (
    select * from {{ ref('int_fx_rates_monthly') }}
),

invoices_finalized as (
    select
        customer_id,
        finalized_month as month,
        total_reporting as invoiced_reporting
    from invoices
    where finalized_at is not null
),

credit_notes_issued as (
    select
        invoices.customer_id,
        cast({{ dbt.date_trunc('month', 'credit_notes.created_at') }} as date) as month,
        credit_notes.currency_code,
        credit_notes.amount
    from credit_notes
    inner join invoices
        on credit_notes.invoice_id = invoices.invoice_id
    where
        credit_notes.credit_note_status != 'void'
        and credit_notes.voided_at is null
),

charges_succeeded as (
    select
        stripe_customers.customer_id,
        charges.month,
        charges.amount_reporting
    from charges
    left join stripe_customers
        on charges.stripe_customer_id = stripe_customers.stripe_customer_id
    where charges.charge_status = 'succeeded'
),

refunds_succeeded as (
    select
        stripe_customers.customer_id,
        cast({{ dbt.date_trunc('month', 'refunds.created_at') }} as date) as month,
        refunds.currency_code,
        refunds.amount
    from refunds
    inner join charges
        on refunds.charge_id = charges.charge_id
    left join stripe_customers
        on charges.stripe_customer_id = stripe_customers.stripe_customer_id
    where refunds.refund_status = 'succeeded'
),

money_events as (
    select
        customer_id,
        month,
        invoiced_reporting,
        0 as credit_notes_reporting,
        0 as charges_reporting,
        0 as refunds_reporting,
        0 as receivable_reporting
    from invoices_finalized
    union all
    select
        credit_notes_issued.customer_id,
        credit_notes_issued.month,
        0 as invoiced_reporting,
        {{ to_reporting_currency('credit_notes_issued.amount', 'fx_rates.rate_to_reporting') }}
            as credit_notes_reporting,
        0 as charges_reporting,
        0 as refunds_reporting,
        0 as receivable_reporting
    from credit_notes_issued
    left join fx_rates
        on
            credit_notes_issued.month = fx_rates.month
            and credit_notes_issued.currency_code = fx_rates.currency_code
    union all
    select
        charges_succeeded.customer_id,
        charges_succeeded.month,
        0 as invoiced_reporting,
        0 as credit_notes_reporting,
        charges_succeeded.amount_reporting as charges_reporting,
        0 as refunds_reporting,
        0 as receivable_reporting
    from charges_succeeded
    union all
    select
        refunds_succeeded.customer_id,
        refunds_succeeded.month,
        0 as invoiced_reporting,
        0 as credit_notes_reporting,
        0 as charges_reporting,
        {{ to_reporting_currency('refunds_succeeded.amount', 'fx_rates.rate_to_reporting') }}
            as refunds_reporting,
        0 as receivable_reporting
    from refunds_succeeded
    left join fx_rates
        on
            refunds_succeeded.month = fx_rates.month
            and refunds_succeeded.currency_code = fx_rates.currency_code
    union all
    select
        customer_id,
        month,
        0 as invoiced_reporting,
        0 as credit_notes_reporting,
        0 as charges_reporting,
        0 as refunds_reporting,
        amount_due_reporting as receivable_reporting
    from outstanding_invoices
),

customer_channels as (
    select
        customer_id,
        min(sales_channel) as sales_channel
    from stripe_customers
    group by customer_id
),

aggregated as (
    select
        customer_id,
        month,
        cast(sum(invoiced_reporting) as decimal(18, 2)) as invoiced_reporting,
        cast(sum(credit_notes_reporting) as decimal(18, 2)) as credit_notes_reporting,
        cast(sum(charges_reporting) as decimal(18, 2)) as charges_reporting,
        cast(sum(refunds_reporting) as decimal(18, 2)) as refunds_reporting,
        cast(sum(receivable_reporting) as decimal(18, 2)) as accounts_receivable_reporting
    from money_events
    group by customer_id, month
),

final as (
    select
        -- ids
        {{ dbt.concat(["aggregated.customer_id", "'|'", "cast(aggregated.month as " ~ dbt.type_string() ~ ")"]) }}
            as customer_month_id,
        aggregated.customer_id,

        -- strings
        coalesce(customer_channels.sales_channel, 'unknown') as sales_channel,

        -- numerics, reporting currency
        aggregated.invoiced_reporting,
        aggregated.credit_notes_reporting,
        cast(aggregated.invoiced_reporting - aggregated.credit_notes_reporting as decimal(18, 2))
            as billings_reporting,
        aggregated.charges_reporting,
        aggregated.refunds_reporting,
        cast(aggregated.charges_reporting - aggregated.refunds_reporting as decimal(18, 2))
            as collections_reporting,
        aggregated.accounts_receivable_reporting,

        -- dates
        aggregated.month
    from aggregated
    left join customer_channels
        on aggregated.customer_id = customer_channels.customer_id
)

select * from final
