-- Customer MRR by month (kpi-definitions section 1): one row per customer (customer_id) and
-- month, from the month of the customer's first subscription to the as-of month, zero-MRR months
-- after churn included while the customer can return. MRR is computed in
-- int_customer_mrr_monthly (billing currency, rounded once, then converted at the month's rate);
-- this mart adds ARR and the segments a RevOps team splits by (from dim_customers).
with customer_mrr as (
    select * from {{ ref('int_customer_mrr_monthly') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

segments as (
    -- the segments a RevOps team splits by; revenue model is recurring for every MRR figure
    select
        customer_id,
        sales_channel,
        'recurring' as revenue_model,
        size_band,
        country_code,
        acquisition_channel
    from customers
),

final as (
    select
        cast(customer_mrr.customer_month_id as {{ dbt.type_string() }}) as customer_month_id,
        cast(customer_mrr.customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(customer_mrr.month as date) as month,
        cast(customer_mrr.billing_currency as {{ dbt.type_string() }}) as billing_currency,
        cast(customer_mrr.mrr_billing_currency as decimal(18, 2)) as mrr_billing_currency,
        cast(customer_mrr.rate_to_reporting as decimal(18, 10)) as rate_to_reporting,
        cast(customer_mrr.mrr as decimal(18, 2)) as mrr,
        cast(12 * customer_mrr.mrr as decimal(18, 2)) as arr,
        cast(customer_mrr.has_mrr as boolean) as has_mrr,
        cast(customer_mrr.seats as bigint) as seats,
        cast(customer_mrr.active_subscriptions as bigint) as active_subscriptions,
        cast(customer_mrr.plan as {{ dbt.type_string() }}) as plan,
        cast(segments.sales_channel as {{ dbt.type_string() }}) as sales_channel,
        cast(segments.revenue_model as {{ dbt.type_string() }}) as revenue_model,
        cast(segments.size_band as {{ dbt.type_string() }}) as size_band,
        cast(segments.country_code as {{ dbt.type_string() }}) as country_code,
        cast(segments.acquisition_channel as {{ dbt.type_string() }}) as acquisition_channel
    from customer_mrr
    left join segments on customer_mrr.customer_id = segments.customer_id
)

select * from final
