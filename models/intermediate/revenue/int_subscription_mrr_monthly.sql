-- MRR of every Stripe subscription at each month's measuring instant, in the subscription's
-- currency, unrounded: the sum of its items' MRR (int_subscription_items_monthly) minus the
-- recurring discounts in force then. A coupon applies to the whole subscription: percent_off to
-- the sum of its items, amount_off once per billing period normalised to a month like the price
-- (only in the subscription's currency, as Stripe allows); together never more than the items'
-- MRR. A discount without a subscription applies to each of the customer's subscriptions.
-- Coupons with duration once never count; repeating ones count until the discount's end (its
-- end_at, else start + duration_in_months); forever ones always. Var mrr_discount_policy:
-- all_active (every recurring coupon) or forever_only (only forever coupons, as Stripe's
-- dashboard). One row per subscription and month.
{%- set policy = var('mrr_discount_policy') %}
{%- if policy not in ('all_active', 'forever_only') %}
    {{ exceptions.raise_compiler_error("var mrr_discount_policy must be all_active or forever_only, got " ~ policy) }}
{%- endif %}

with subscriptions_monthly as (
    select * from {{ ref('int_subscriptions_monthly') }}
),

items_monthly as (
    select * from {{ ref('int_subscription_items_monthly') }}
),

discounts as (
    select * from {{ ref('stg_stripe__discounts') }}
),

coupons as (
    select * from {{ ref('stg_stripe__coupons') }}
),

items_summed as (
    select
        subscription_id,
        month,
        max(case when is_recurring_licensed then currency_code end) as licensed_currency_code,
        max(currency_code) as any_currency_code,
        sum(list_mrr) as list_mrr,
        sum(seats) as seats,
        -- the billing interval, to normalise amount_off coupons like the price (Stripe bills all
        -- recurring items of a subscription on one interval)
        max(case when is_recurring_licensed then recurring_interval end) as billing_interval,
        max(case when is_recurring_licensed then recurring_interval_count end) as billing_interval_count
    from items_monthly
    group by subscription_id, month
),

subscriptions_with_items as (
    select
        subscriptions_monthly.*,
        coalesce(items_summed.licensed_currency_code, items_summed.any_currency_code) as currency_code,
        coalesce(items_summed.list_mrr, 0) as list_mrr,
        coalesce(items_summed.seats, 0) as seats,
        items_summed.billing_interval,
        items_summed.billing_interval_count
    from subscriptions_monthly
    left join items_summed
        on
            subscriptions_monthly.subscription_id = items_summed.subscription_id
            and subscriptions_monthly.month = items_summed.month
),

recurring_discounts as (
    select
        discounts.discount_id,
        discounts.customer_id as stripe_customer_id,
        discounts.subscription_id,
        discounts.start_at,
        case
            when coupons.duration = 'repeating'
                then coalesce(
                    discounts.end_at,
                    {{ dbt.dateadd('month', 'coupons.duration_in_months', 'discounts.start_at') }}
                )
            else discounts.end_at
        end as ends_at,
        coupons.percent_off,
        coupons.amount_off,
        coupons.currency_code as amount_off_currency_code
    from discounts
    inner join coupons on discounts.coupon_id = coupons.coupon_id
    {%- if policy == 'forever_only' %}
    where coupons.duration = 'forever'
    {%- else %}
        where coupons.duration in ('repeating', 'forever')
    {%- endif %}
),

-- The discounts in force in each subscription month: those on the subscription, and those on its
-- customer (no subscription). Two equality joins, one per kind, rather than one join on
-- "same subscription or, for a customer discount, same customer": an engine cannot hash that
-- condition and compares every subscription month with every discount (at scale 100 the build
-- ran for over 12 minutes on this join alone).
discount_matches as (
    {%- set discount_targets = [
        'subscriptions_with_items.subscription_id = recurring_discounts.subscription_id',
        'subscriptions_with_items.stripe_customer_id = recurring_discounts.stripe_customer_id
            and recurring_discounts.subscription_id is null',
    ] %}
    {%- for discount_target in discount_targets %}
        select
            subscriptions_with_items.subscription_id,
            subscriptions_with_items.month,
            subscriptions_with_items.currency_code,
            subscriptions_with_items.billing_interval,
            subscriptions_with_items.billing_interval_count,
            recurring_discounts.percent_off,
            recurring_discounts.amount_off,
            recurring_discounts.amount_off_currency_code
        from subscriptions_with_items
        inner join recurring_discounts
            on
                {{ discount_target }}
                and {{ within_validity_range(
                    'subscriptions_with_items.measured_at', 'recurring_discounts.start_at', 'recurring_discounts.ends_at'
                ) }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

discounts_in_force as (
    select
        subscription_id,
        month,
        sum(coalesce(percent_off, 0)) as percent_off,
        sum(
            case
                when amount_off_currency_code = currency_code
                    then coalesce({{ monthly_normalised_amount(
                        'amount_off', 'billing_interval', 'billing_interval_count'
                    ) }}, 0)
                else 0
            end
        ) as amount_off_monthly
    from discount_matches
    group by subscription_id, month
),

discounted as (
    select
        subscriptions_with_items.*,
        cast(
            case
                when discounts_in_force.subscription_id is null then 0
                when
                    subscriptions_with_items.list_mrr
                    * (case when discounts_in_force.percent_off > 100 then 100 else discounts_in_force.percent_off end)
                    * 0.01
                    + discounts_in_force.amount_off_monthly
                    >= subscriptions_with_items.list_mrr
                    then subscriptions_with_items.list_mrr
                else
                    subscriptions_with_items.list_mrr
                    * (case when discounts_in_force.percent_off > 100 then 100 else discounts_in_force.percent_off end)
                    * 0.01
                    + discounts_in_force.amount_off_monthly
            end
            as decimal(38, 10)
        ) as discount_mrr
    from subscriptions_with_items
    left join discounts_in_force
        on
            subscriptions_with_items.subscription_id = discounts_in_force.subscription_id
            and subscriptions_with_items.month = discounts_in_force.month
),

final as (
    select
        subscription_month_id,
        subscription_id,
        stripe_customer_id,
        month,
        currency_code,
        subscription_status,
        sales_channel,
        is_cancel_at_period_end,
        is_active,
        seats,
        cast(list_mrr as decimal(38, 10)) as list_mrr,
        discount_mrr,
        cast(list_mrr - discount_mrr as decimal(38, 10)) as mrr
    from discounted
)

select * from final
