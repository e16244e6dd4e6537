-- The fx movement is what exchange rates alone change (kpi-definitions section 1): for every
-- customer and month it equals prev in billing currency x (rate(m) - rate(m-1)) within the 1.5
-- cents that rounding three amounts to the cent on their own can leave over; and a customer in
-- the reporting currency never has one. Returns the customer-months that break it.
with mrr as (
    select * from {{ ref('fct_mrr') }}
),

movements as (
    select * from {{ ref('fct_mrr_movements') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_monthly') }}
),

fx as (
    select
        customer_id,
        month,
        amount
    from movements
    where movement_type = 'fx'
),

expected as (
    select
        mrr.customer_id,
        mrr.month,
        mrr.billing_currency,
        coalesce(lag(mrr.mrr_billing_currency) over (partition by mrr.customer_id order by mrr.month), 0)
            as previous_mrr_billing_currency,
        mrr.rate_to_reporting
    from mrr
),

compared as (
    select
        expected.customer_id,
        expected.month,
        expected.billing_currency,
        coalesce(fx.amount, 0) as fx_amount,
        expected.previous_mrr_billing_currency
        * (expected.rate_to_reporting - previous_rates.rate_to_reporting) as formula_amount
    from expected
    left join fx_rates as previous_rates
        on
            expected.billing_currency = previous_rates.currency_code
            and previous_rates.month = cast({{ dbt.dateadd('month', -1, 'expected.month') }} as date)
    left join fx
        on
            expected.customer_id = fx.customer_id
            and expected.month = fx.month
)

select *
from compared
where
    abs(fx_amount - coalesce(formula_amount, 0)) > 0.015
    or (billing_currency = '{{ var("reporting_currency") }}' and fx_amount <> 0)
