-- fct_revenue_monthly agrees with the customer marts: for every month and segment type, the
-- sum over segment values of mrr equals the sum of fct_mrr.mrr of the month, customers the
-- number of customers with MRR > 0, and each movement total the sum of fct_mrr_movements of its
-- type. Returns the month and segment types that disagree.
with revenue as (
    select * from {{ ref('fct_revenue_monthly') }}
),

mrr as (
    select * from {{ ref('fct_mrr') }}
),

movements as (
    select * from {{ ref('fct_mrr_movements') }}
),

customer_totals as (
    select
        month,
        sum(mrr) as mrr,
        sum(case when has_mrr then 1 else 0 end) as customers
    from mrr
    group by month
),

movement_totals as (
    select
        month,
        sum(case when movement_type = 'new' then amount else 0 end) as new_mrr,
        sum(case when movement_type = 'reactivation' then amount else 0 end) as reactivation_mrr,
        sum(case when movement_type = 'expansion' then amount else 0 end) as expansion_mrr,
        sum(case when movement_type = 'contraction' then amount else 0 end) as contraction_mrr,
        sum(case when movement_type = 'churn' then amount else 0 end) as churn_mrr,
        sum(case when movement_type = 'fx' then amount else 0 end) as fx_mrr
    from movements
    group by month
),

segment_totals as (
    select
        month,
        segment_type,
        sum(mrr) as mrr,
        sum(customers) as customers,
        sum(new_mrr) as new_mrr,
        sum(reactivation_mrr) as reactivation_mrr,
        sum(expansion_mrr) as expansion_mrr,
        sum(contraction_mrr) as contraction_mrr,
        sum(churn_mrr) as churn_mrr,
        sum(fx_mrr) as fx_mrr
    from revenue
    group by month, segment_type
),

segment_types as (
    select distinct segment_type from revenue
),

expected as (
    select
        customer_totals.month,
        segment_types.segment_type,
        customer_totals.mrr,
        customer_totals.customers,
        coalesce(movement_totals.new_mrr, 0) as new_mrr,
        coalesce(movement_totals.reactivation_mrr, 0) as reactivation_mrr,
        coalesce(movement_totals.expansion_mrr, 0) as expansion_mrr,
        coalesce(movement_totals.contraction_mrr, 0) as contraction_mrr,
        coalesce(movement_totals.churn_mrr, 0) as churn_mrr,
        coalesce(movement_totals.fx_mrr, 0) as fx_mrr
    from customer_totals
    cross join segment_types
    left join movement_totals on customer_totals.month = movement_totals.month
)

select
    coalesce(expected.month, segment_totals.month) as month,
    coalesce(expected.segment_type, segment_totals.segment_type) as segment_type
from expected
full outer join segment_totals
    on
        expected.month = segment_totals.month
        and expected.segment_type = segment_totals.segment_type
where
    -- a month whose customers all have zero MRR and no movement may have no revenue row
    (segment_totals.month is null and (expected.mrr <> 0 or expected.customers <> 0))
    or expected.month is null
    or expected.mrr <> segment_totals.mrr
    or expected.customers <> segment_totals.customers
    or expected.new_mrr <> segment_totals.new_mrr
    or expected.reactivation_mrr <> segment_totals.reactivation_mrr
    or expected.expansion_mrr <> segment_totals.expansion_mrr
    or expected.contraction_mrr <> segment_totals.contraction_mrr
    or expected.churn_mrr <> segment_totals.churn_mrr
    or expected.fx_mrr <> segment_totals.fx_mrr
