-- The MRR bridge in fct_revenue_monthly, for every month and every segment, to the cent:
-- mrr = opening_mrr + new + reactivation + expansion + contraction + churn + fx +
-- segment_transfer, where opening_mrr is the same segment's mrr of the month before (0 without a
-- row) and segment_transfer is 0 for 'all' and every segment type but plan (so there the
-- contract's identity MRR(m) = MRR(m-1) + new + reactivation + expansion + contraction + churn +
-- fx holds literally); plan transfers sum to 0 in each month. Returns the rows that break it.
with revenue as (
    select * from {{ ref('fct_revenue_monthly') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

paired as (
    select
        coalesce(current_rows.month, cast({{ dbt.dateadd('month', 1, 'previous_rows.month') }} as date)) as month,
        coalesce(current_rows.segment_type, previous_rows.segment_type) as segment_type,
        coalesce(current_rows.segment_value, previous_rows.segment_value) as segment_value,
        current_rows.mrr,
        current_rows.opening_mrr,
        current_rows.new_mrr + current_rows.reactivation_mrr + current_rows.expansion_mrr
        + current_rows.contraction_mrr + current_rows.churn_mrr + current_rows.fx_mrr as movements,
        current_rows.segment_transfer_mrr,
        coalesce(previous_rows.mrr, 0) as previous_row_mrr
    from revenue as current_rows
    full outer join revenue as previous_rows
        on
            current_rows.segment_type = previous_rows.segment_type
            and current_rows.segment_value = previous_rows.segment_value
            and current_rows.month = cast({{ dbt.dateadd('month', 1, 'previous_rows.month') }} as date)
),

row_failures as (
    select
        paired.month,
        paired.segment_type,
        paired.segment_value,
        'row breaks the bridge' as failure
    from paired
    cross join as_of
    where
        paired.month <= as_of.as_of_month
        and (
            paired.mrr is null and paired.previous_row_mrr <> 0
            or paired.mrr <> paired.opening_mrr + paired.movements + paired.segment_transfer_mrr
            or paired.opening_mrr <> paired.previous_row_mrr
            or (paired.segment_type <> 'plan' and paired.segment_transfer_mrr <> 0)
        )
),

transfer_failures as (
    select
        month,
        segment_type,
        'all' as segment_value,
        'plan transfers do not sum to 0' as failure
    from revenue
    where segment_type = 'plan'
    group by month, segment_type
    having sum(segment_transfer_mrr) <> 0
)

select * from row_failures
union all
select * from transfer_failures
