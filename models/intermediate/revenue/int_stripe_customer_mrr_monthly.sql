-- MRR of every Stripe customer (a billing customer, not yet a customer-360 row) by month, in the
-- customer's billing currency: the sum of its subscriptions' MRR at the month's measuring
-- instant, unrounded and rounded once to the currency's minor unit (the cent; the yen for JPY).
-- One row per Stripe customer and month, from the month of its first subscription to the as-of
-- month, zero-MRR months included.
with subscription_mrr as {{ not_materialized() }} (
    select * from {{ ref('int_subscription_mrr_monthly') }}
),

stripe_customers as (
    select * from {{ ref('stg_stripe__customers') }}
),

currencies as (
    select * from {{ ref('currencies') }}
),

mrr_months as (
    select * from {{ ref('int_mrr_months') }}
),

first_months as (
    select
        stripe_customer_id,
        min(month) as first_subscription_month
    from subscription_mrr
    group by stripe_customer_id
),

spine as (
    select
        first_months.stripe_customer_id,
        mrr_months.month
    from first_months
    inner join mrr_months on first_months.first_subscription_month <= mrr_months.month
),

summed as (
    select
        stripe_customer_id,
        month,
        max(case when is_active then currency_code end) as active_currency_code,
        max(currency_code) as any_currency_code,
        sum(case when is_active then 1 else 0 end) as active_subscriptions,
        sum(seats) as seats,
        sum(list_mrr) as list_mrr,
        sum(discount_mrr) as discount_mrr,
        sum(mrr) as mrr
    from subscription_mrr
    group by stripe_customer_id, month
),

joined as (
    select
        spine.stripe_customer_id,
        spine.month,
        coalesce(stripe_customers.currency_code, summed.active_currency_code, summed.any_currency_code)
            as currency_code,
        coalesce(summed.active_subscriptions, 0) as active_subscriptions,
        coalesce(summed.seats, 0) as seats,
        cast(coalesce(summed.list_mrr, 0) as decimal(38, 10)) as list_mrr,
        cast(coalesce(summed.discount_mrr, 0) as decimal(38, 10)) as discount_mrr,
        cast(coalesce(summed.mrr, 0) as decimal(38, 10)) as mrr_unrounded
    from spine
    left join summed
        on
            spine.stripe_customer_id = summed.stripe_customer_id
            and spine.month = summed.month
    left join stripe_customers on spine.stripe_customer_id = stripe_customers.customer_id
),

final as (
    select
        {{ dbt.concat(["joined.stripe_customer_id", "'|'", "cast(joined.month as " ~ dbt.type_string() ~ ")"]) }}
            as stripe_customer_month_id,
        joined.stripe_customer_id,
        joined.month,
        joined.currency_code,
        joined.active_subscriptions,
        cast(joined.seats as bigint) as seats,
        joined.list_mrr,
        joined.discount_mrr,
        joined.mrr_unrounded,
        {{ round_to_minor_unit('joined.mrr_unrounded', 'currencies.minor_unit_exponent') }} as mrr
    from joined
    left join currencies on joined.currency_code = currencies.currency_code
)

select * from final
