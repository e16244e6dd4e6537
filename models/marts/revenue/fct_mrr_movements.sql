-- MRR movements (kpi-definitions section 1): one row per customer, month and movement type (new,
-- reactivation, expansion, contraction, churn, fx) with its amount in reporting currency. The
-- classification and the rounding live in int_customer_mrr_movements: the category is decided in
-- the customer's billing currency and converted at the month's rate, fx carries what exchange
-- rates alone change (plus the rounding cents), so that for every customer, month and sum of
-- customers MRR(m) = MRR(m-1) + new + reactivation + expansion + contraction + churn + fx.
with movements as (
    select * from {{ ref('int_customer_mrr_movements') }}
),

final as (
    select
        cast(mrr_movement_id as {{ dbt.type_string() }}) as mrr_movement_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(month as date) as month,
        cast(movement_type as {{ dbt.type_string() }}) as movement_type,
        cast(amount as decimal(18, 2)) as amount,
        cast(amount_billing_currency as decimal(18, 2)) as amount_billing_currency,
        cast(billing_currency as {{ dbt.type_string() }}) as billing_currency,
        cast(previous_mrr_billing_currency as decimal(18, 2)) as previous_mrr_billing_currency,
        cast(mrr_billing_currency as decimal(18, 2)) as mrr_billing_currency,
        cast(previous_mrr as decimal(18, 2)) as previous_mrr,
        cast(mrr as decimal(18, 2)) as mrr,
        cast(previous_rate_to_reporting as decimal(18, 10)) as previous_rate_to_reporting,
        cast(rate_to_reporting as decimal(18, 10)) as rate_to_reporting
    from movements
)

select * from final
