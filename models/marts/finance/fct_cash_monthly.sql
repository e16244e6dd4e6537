-- One row per calendar month: billings, collections, accounts receivable at month end and DSO, in
-- the reporting currency. Sums of int_cash_customer_monthly (the one computation), so the month
-- equals the sum of its customers to the cent. DSO = AR at eom(m) / billings in m x days in m, null
-- when the month's billings are 0.
with customer_months as (
    select * from {{ ref('int_cash_customer_monthly') }}
),

months as (
    select * from {{ ref('int_months') }}
),

monthly as (
    select
        month,
        sum(invoiced_reporting) as invoiced_reporting,
        sum(credit_notes_reporting) as credit_notes_reporting,
        sum(billings_reporting) as billings_reporting,
        sum(charges_reporting) as charges_reporting,
        sum(refunds_reporting) as refunds_reporting,
        sum(collections_reporting) as collections_reporting,
        sum(accounts_receivable_reporting) as accounts_receivable_reporting
    from customer_months
    group by month
),

final as (
    select
        -- dates
        months.month,

        -- numerics
        months.days_in_month,
        cast(coalesce(monthly.invoiced_reporting, 0) as decimal(18, 2)) as invoiced_reporting,
        cast(coalesce(monthly.credit_notes_reporting, 0) as decimal(18, 2)) as credit_notes_reporting,
        cast(coalesce(monthly.billings_reporting, 0) as decimal(18, 2)) as billings_reporting,
        cast(coalesce(monthly.charges_reporting, 0) as decimal(18, 2)) as charges_reporting,
        cast(coalesce(monthly.refunds_reporting, 0) as decimal(18, 2)) as refunds_reporting,
        cast(coalesce(monthly.collections_reporting, 0) as decimal(18, 2)) as collections_reporting,
        cast(coalesce(monthly.accounts_receivable_reporting, 0) as decimal(18, 2))
            as accounts_receivable_reporting,
        cast(round(
            {{ decimal_ratio('coalesce(monthly.accounts_receivable_reporting, 0) * months.days_in_month',
                             'monthly.billings_reporting') }},
            2
        ) as decimal(18, 2)) as dso_days
    from months
    left join monthly
        on months.month = monthly.month
)

select * from final
