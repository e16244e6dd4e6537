-- One row per customer (customer_id) and month in which the customer was billed, paid, refunded or
-- owed money at month end: billings, collections and accounts receivable in the reporting currency,
-- as computed once in int_cash_customer_monthly. Summed over customers it gives fct_cash_monthly.
with customer_months as (
    select * from {{ ref('int_cash_customer_monthly') }}
),

final as (
    select
        -- ids
        customer_month_id,
        customer_id,

        -- strings
        sales_channel,

        -- dates
        month,

        -- numerics, reporting currency
        invoiced_reporting,
        credit_notes_reporting,
        billings_reporting,
        charges_reporting,
        refunds_reporting,
        collections_reporting,
        accounts_receivable_reporting
    from customer_months
)

select * from final
