-- Customer MRR by month (kpi-definitions section 1), the home of customer MRR: one row per
-- customer-360 customer (customer_id, from dim_customer_identities' raw_stripe.customer rows) and
-- month, from the month of the customer's first subscription to the as-of month, zero-MRR months
-- after churn included (the customer can still return).
-- Billing currency: a customer's Stripe customers usually share one currency; when they do not,
-- the customer's billing currency is the one that carried the most MRR over all months (in
-- reporting currency; ties by code), and the others are converted into it at the month's rates.
-- MRR in billing currency is the unrounded sum of the items' MRR (after discounts), rounded once
-- to the currency's minor unit; MRR in reporting currency is that amount x the month's rate,
-- rounded to the cent (the movements and the bridge are built on these two rounded amounts).
-- Seats: quantity of per-seat licensed items of active subscriptions. Plan: the plan (var
-- mrr_plan_by_product) carrying the most MRR before discounts among the active items; null when
-- no plan carries MRR.
with stripe_mrr as (
    select * from {{ ref('int_stripe_customer_mrr_monthly') }}
),

items_monthly as (
    select * from {{ ref('int_subscription_items_monthly') }}
),

identities as (
    select * from {{ ref('dim_customer_identities') }}
),

fx_rates as {{ not_materialized() }} (
    select * from {{ ref('int_fx_rates_monthly') }}
),

currencies as (
    select * from {{ ref('currencies') }}
),

mrr_months as (
    select * from {{ ref('int_mrr_months') }}
),

stripe_customer_ids as (
    select
        source_id as stripe_customer_id,
        customer_id
    from identities
    where source_table = 'raw_stripe.customer'
),

stripe_mrr_mapped as (
    select
        stripe_customer_ids.customer_id,
        stripe_mrr.*,
        fx_rates.rate_to_reporting
    from stripe_mrr
    inner join stripe_customer_ids on stripe_mrr.stripe_customer_id = stripe_customer_ids.stripe_customer_id
    inner join fx_rates
        on
            stripe_mrr.currency_code = fx_rates.currency_code
            and stripe_mrr.month = fx_rates.month
),

currency_weights as (
    select
        customer_id,
        currency_code,
        sum(mrr * rate_to_reporting) as mrr_reporting_over_time
    from stripe_mrr_mapped
    group by customer_id, currency_code
),

billing_currencies as (
    select
        customer_id,
        currency_code as billing_currency
    from (
        select
            customer_id,
            currency_code,
            row_number() over (
                partition by customer_id
                order by mrr_reporting_over_time desc, currency_code asc
            ) as currency_rank
        from currency_weights
    ) as ranked
    where currency_rank = 1
),

spine as (
    select
        first_months.customer_id,
        mrr_months.month
    from (
        select
            customer_id,
            min(month) as first_month
        from stripe_mrr_mapped
        group by customer_id
    ) as first_months
    inner join mrr_months on first_months.first_month <= mrr_months.month
),

in_billing_currency as (
    select
        stripe_mrr_mapped.customer_id,
        stripe_mrr_mapped.month,
        stripe_mrr_mapped.stripe_customer_id,
        stripe_mrr_mapped.active_subscriptions,
        stripe_mrr_mapped.seats,
        case
            when stripe_mrr_mapped.currency_code = billing_currencies.billing_currency
                then stripe_mrr_mapped.mrr_unrounded
            else {{ revenue_divide(
                'stripe_mrr_mapped.mrr_unrounded * stripe_mrr_mapped.rate_to_reporting',
                'billing_rates.rate_to_reporting'
            ) }}
        end as mrr_billing_currency_unrounded
    from stripe_mrr_mapped
    inner join billing_currencies on stripe_mrr_mapped.customer_id = billing_currencies.customer_id
    inner join fx_rates as billing_rates
        on
            billing_currencies.billing_currency = billing_rates.currency_code
            and stripe_mrr_mapped.month = billing_rates.month
),

summed as (
    select
        customer_id,
        month,
        count(*) as stripe_customers,
        sum(active_subscriptions) as active_subscriptions,
        sum(seats) as seats,
        sum(mrr_billing_currency_unrounded) as mrr_billing_currency_unrounded
    from in_billing_currency
    group by customer_id, month
),

plan_mrr as (
    select
        stripe_customer_ids.customer_id,
        items_monthly.month,
        items_monthly.plan,
        sum(items_monthly.list_mrr * fx_rates.rate_to_reporting) as plan_list_mrr_reporting
    from items_monthly
    inner join stripe_customer_ids on items_monthly.stripe_customer_id = stripe_customer_ids.stripe_customer_id
    inner join fx_rates
        on
            items_monthly.currency_code = fx_rates.currency_code
            and items_monthly.month = fx_rates.month
    where items_monthly.plan is not null and items_monthly.list_mrr > 0
    group by stripe_customer_ids.customer_id, items_monthly.month, items_monthly.plan
),

main_plans as (
    select
        customer_id,
        month,
        plan
    from (
        select
            customer_id,
            month,
            plan,
            row_number() over (
                partition by customer_id, month
                order by plan_list_mrr_reporting desc, plan asc
            ) as plan_rank
        from plan_mrr
    ) as ranked
    where plan_rank = 1
),

rounded as (
    select
        spine.customer_id,
        spine.month,
        billing_currencies.billing_currency,
        billing_rates.rate_to_reporting,
        coalesce(summed.stripe_customers, 0) as stripe_customers,
        coalesce(summed.active_subscriptions, 0) as active_subscriptions,
        coalesce(summed.seats, 0) as seats,
        main_plans.plan,
        cast(coalesce(summed.mrr_billing_currency_unrounded, 0) as decimal(38, 10))
            as mrr_billing_currency_unrounded,
        {{ round_to_minor_unit(
            'coalesce(summed.mrr_billing_currency_unrounded, 0)',
            'currencies.minor_unit_exponent'
        ) }} as mrr_billing_currency
    from spine
    inner join billing_currencies on spine.customer_id = billing_currencies.customer_id
    inner join fx_rates as billing_rates
        on
            billing_currencies.billing_currency = billing_rates.currency_code
            and spine.month = billing_rates.month
    left join currencies on billing_currencies.billing_currency = currencies.currency_code
    left join summed
        on
            spine.customer_id = summed.customer_id
            and spine.month = summed.month
    left join main_plans
        on
            spine.customer_id = main_plans.customer_id
            and spine.month = main_plans.month
),

final as (
    select
        {{ dbt.concat(["customer_id", "'|'", "cast(month as " ~ dbt.type_string() ~ ")"]) }}
            as customer_month_id,
        customer_id,
        month,
        billing_currency,
        rate_to_reporting,
        cast(stripe_customers as bigint) as stripe_customers,
        cast(active_subscriptions as bigint) as active_subscriptions,
        cast(seats as bigint) as seats,
        case when mrr_billing_currency > 0 then plan end as plan,
        mrr_billing_currency_unrounded,
        mrr_billing_currency,
        cast(round(cast(mrr_billing_currency as decimal(38, 10)) * rate_to_reporting, 2) as decimal(18, 2)) as mrr,
        mrr_billing_currency > 0 as has_mrr
    from rounded
)

select * from final
