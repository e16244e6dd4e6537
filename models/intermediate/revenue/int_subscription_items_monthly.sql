-- The state of every Stripe subscription item at each month's measuring instant (the version of
-- stg_stripe__subscription_item_history in force then), with its subscription's state, its price
-- and the item's MRR before discounts in the price's currency: unit amount x quantity normalised
-- to one month, for recurring licensed prices of active subscriptions; 0 for metered and one-time
-- prices and for subscriptions that do not carry MRR. One row per subscription item and month.
{%- set plan_by_product = var('mrr_plan_by_product') %}
{%- set seat_product_list = "'" ~ var('mrr_seat_products') | join("', '") ~ "'" %}

with item_history as (
    select * from {{ ref('stg_stripe__subscription_item_history') }}
),

subscriptions_monthly as (
    select * from {{ ref('int_subscriptions_monthly') }}
),

prices as (
    select * from {{ ref('stg_stripe__prices') }}
),

products as (
    select * from {{ ref('stg_stripe__products') }}
),

items_in_force as (
    select
        subscriptions_monthly.month,
        subscriptions_monthly.subscription_id,
        subscriptions_monthly.stripe_customer_id,
        subscriptions_monthly.is_active as is_subscription_active,
        item_history.subscription_item_id,
        item_history.price_id,
        item_history.quantity
    from item_history
    inner join subscriptions_monthly
        on
            item_history.subscription_id = subscriptions_monthly.subscription_id
            and item_history.valid_from <= subscriptions_monthly.measured_at
            and (
                item_history.valid_to is null
                or item_history.valid_to >= subscriptions_monthly.measured_at
            )
),

priced as (
    select
        items_in_force.*,
        prices.product_id,
        products.product_name,
        prices.currency_code,
        prices.price_type,
        prices.recurring_interval,
        prices.recurring_interval_count,
        prices.recurring_usage_type,
        prices.unit_amount,
        coalesce(
            prices.price_type = 'recurring' and prices.recurring_usage_type = 'licensed',
            false
        ) as is_recurring_licensed,
        case products.product_name
            {%- for product_name, plan in plan_by_product.items() %}
                when '{{ product_name }}' then '{{ plan }}'
            {%- endfor %}
        end as plan,
        coalesce(products.product_name in ({{ seat_product_list }}), false) as is_per_seat
    from items_in_force
    inner join prices on items_in_force.price_id = prices.price_id
    left join products on prices.product_id = products.product_id
),

final as (
    select
        {{ dbt.concat(["subscription_item_id", "'|'", "cast(month as " ~ dbt.type_string() ~ ")"]) }}
            as subscription_item_month_id,
        subscription_item_id,
        subscription_id,
        stripe_customer_id,
        month,
        price_id,
        product_id,
        product_name,
        plan,
        currency_code,
        price_type,
        recurring_interval,
        recurring_interval_count,
        recurring_usage_type,
        unit_amount,
        quantity,
        is_subscription_active,
        is_recurring_licensed,
        is_per_seat,
        case
            when is_subscription_active and is_recurring_licensed
                then coalesce(
                    {{ monthly_normalised_amount(
                        'cast(unit_amount as decimal(38, 10)) * quantity',
                        'recurring_interval',
                        'recurring_interval_count'
                    ) }},
                    0
                )
            else cast(0 as decimal(38, 10))
        end as list_mrr,
        case
            when is_subscription_active and is_recurring_licensed and is_per_seat then coalesce(quantity, 0)
            else 0
        end as seats
    from priced
)

select * from final
