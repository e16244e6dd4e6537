-- Each customer-month with what the segmented revenue KPIs need (fct_revenue_monthly): MRR at m
-- and m-1 in reporting currency, the month's movement amounts and flags (int_customer_mrr_movements),
-- and the customer's segments - sales channel, size band, country and acquisition channel from
-- dim_customers (static), revenue model 'recurring', and plan at m (plan_current: the main plan of
-- m, or of m-1 when the customer has no MRR at m because it churned) and at m-1 (plan_previous).
-- A missing segment value is 'unknown'. One row per customer and month (as int_customer_mrr_monthly).
with customer_mrr as (
    select * from {{ ref('int_customer_mrr_monthly') }}
),

movements as (
    select * from {{ ref('int_customer_mrr_movements') }}
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

customer_months as (
    select
        customer_id,
        month,
        mrr,
        has_mrr,
        seats,
        plan,
        coalesce(lag(mrr) over (partition by customer_id order by month), 0) as previous_mrr,
        coalesce(lag(has_mrr) over (partition by customer_id order by month), false) as had_mrr_previous,
        lag(plan) over (partition by customer_id order by month) as previous_plan
    from customer_mrr
),

movement_amounts as (
    select
        customer_id,
        month,
        sum(case when movement_type = 'new' then amount else 0 end) as new_mrr,
        sum(case when movement_type = 'reactivation' then amount else 0 end) as reactivation_mrr,
        sum(case when movement_type = 'expansion' then amount else 0 end) as expansion_mrr,
        sum(case when movement_type = 'contraction' then amount else 0 end) as contraction_mrr,
        sum(case when movement_type = 'churn' then amount else 0 end) as churn_mrr,
        sum(case when movement_type = 'fx' then amount else 0 end) as fx_mrr,
        max(case when movement_type = 'new' then 1 else 0 end) as is_new,
        max(case when movement_type = 'reactivation' then 1 else 0 end) as is_reactivation,
        max(case when movement_type = 'expansion' then 1 else 0 end) as is_expansion,
        max(case when movement_type = 'contraction' then 1 else 0 end) as is_contraction,
        max(case when movement_type = 'churn' then 1 else 0 end) as is_churn
    from movements
    group by customer_id, month
),

customer_facts as (
    select
        customer_months.customer_id,
        customer_months.month,
        customer_months.mrr,
        customer_months.previous_mrr,
        customer_months.has_mrr,
        customer_months.had_mrr_previous,
        case when customer_months.has_mrr then customer_months.seats else 0 end as seats,
        case
            when customer_months.has_mrr then coalesce(customer_months.plan, 'unknown')
            else coalesce(customer_months.previous_plan, 'unknown')
        end as plan_current,
        coalesce(customer_months.previous_plan, 'unknown') as plan_previous,
        coalesce(segments.sales_channel, 'unknown') as sales_channel,
        coalesce(segments.revenue_model, 'unknown') as revenue_model,
        coalesce(segments.size_band, 'unknown') as size_band,
        coalesce(segments.country_code, 'unknown') as country_code,
        coalesce(segments.acquisition_channel, 'unknown') as acquisition_channel,
        coalesce(movement_amounts.new_mrr, 0) as new_mrr,
        coalesce(movement_amounts.reactivation_mrr, 0) as reactivation_mrr,
        coalesce(movement_amounts.expansion_mrr, 0) as expansion_mrr,
        coalesce(movement_amounts.contraction_mrr, 0) as contraction_mrr,
        coalesce(movement_amounts.churn_mrr, 0) as churn_mrr,
        coalesce(movement_amounts.fx_mrr, 0) as fx_mrr,
        coalesce(movement_amounts.is_new, 0) as is_new,
        coalesce(movement_amounts.is_reactivation, 0) as is_reactivation,
        coalesce(movement_amounts.is_expansion, 0) as is_expansion,
        coalesce(movement_amounts.is_contraction, 0) as is_contraction,
        coalesce(movement_amounts.is_churn, 0) as is_churn
    from customer_months
    left join segments on customer_months.customer_id = segments.customer_id
    left join movement_amounts
        on
            customer_months.customer_id = movement_amounts.customer_id
            and customer_months.month = movement_amounts.month
)

select * from customer_facts
