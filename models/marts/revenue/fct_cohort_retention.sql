-- Cohort retention (kpi-definitions section 1): a customer's cohort is the month of its first
-- MRR > 0. For each cohort and month offset k (0 to the as-of month): logo retention = share of
-- the cohort's customers with MRR > 0 at cohort + k; revenue retention = the cohort's MRR at
-- cohort + k / its MRR at cohort + 0 (reporting currency, each month at its own rate; customers
-- who returned count again). One row per cohort month and month offset.
with customer_mrr as {{ not_materialized() }} (
    select * from {{ ref('int_customer_mrr_monthly') }}
),

cohorts as (
    select
        customer_id,
        min(month) as cohort_month
    from customer_mrr
    where has_mrr
    group by customer_id
),

cohort_months as (
    select
        cohorts.cohort_month,
        customer_mrr.month,
        count(*) as cohort_customers,
        sum(case when customer_mrr.has_mrr then 1 else 0 end) as retained_customers,
        sum(customer_mrr.mrr) as cohort_mrr
    from cohorts
    inner join customer_mrr
        on
            cohorts.customer_id = customer_mrr.customer_id
            and cohorts.cohort_month <= customer_mrr.month
    group by cohorts.cohort_month, customer_mrr.month
),

with_start as (
    select
        cohort_months.*,
        12 * (extract(year from cohort_months.month) - extract(year from cohort_months.cohort_month))
        + extract(month from cohort_months.month)
        - extract(month from cohort_months.cohort_month) as month_offset,
        starts.cohort_mrr as cohort_starting_mrr
    from cohort_months
    inner join cohort_months as starts
        on
            cohort_months.cohort_month = starts.cohort_month
            and starts.month = starts.cohort_month
),

final as (
    select
        {{ dbt.concat([
            "cast(cohort_month as " ~ dbt.type_string() ~ ")",
            "'|'",
            "cast(month_offset as " ~ dbt.type_string() ~ ")",
        ]) }} as cohort_retention_id,
        cast(cohort_month as date) as cohort_month,
        cast(month_offset as integer) as month_offset,
        cast(month as date) as month,
        cast(cohort_customers as bigint) as cohort_customers,
        cast(retained_customers as bigint) as retained_customers,
        cast(cohort_starting_mrr as decimal(18, 2)) as cohort_starting_mrr,
        cast(cohort_mrr as decimal(18, 2)) as cohort_mrr,
        cast(retained_customers as {{ type_double() }}) / nullif(cohort_customers, 0) as logo_retention,
        cast(cohort_mrr as {{ type_double() }}) / nullif(cohort_starting_mrr, 0) as revenue_retention
    from with_start
)

select * from final
