-- Stage counts never increase down the funnel, for every lead cohort and channel: leads created
-- >= MQL >= SQL >= opportunity >= closed-won (a later stage implies the earlier ones). Also the
-- stage cohort of 'lead' is the lead cohort itself. Fails with one row per violation.
with funnel as (
    select * from {{ ref('fct_funnel_conversion_monthly') }}
),

steps as (
    select
        this_stage.cohort_month,
        this_stage.source_channel,
        this_stage.stage_name,
        this_stage.lead_cohort_reached_count,
        next_stage.stage_name as next_stage_name,
        next_stage.lead_cohort_reached_count as next_stage_reached_count
    from funnel as this_stage
    inner join funnel as next_stage
        on
            this_stage.cohort_month = next_stage.cohort_month
            and this_stage.source_channel = next_stage.source_channel
            and next_stage.stage_order = this_stage.stage_order + 1
)

select
    cohort_month,
    source_channel,
    stage_name,
    'next stage has more leads' as violation
from steps
where next_stage_reached_count > lead_cohort_reached_count

union all

select
    cohort_month,
    source_channel,
    stage_name,
    'lead stage cohort differs from lead cohort' as violation
from funnel
where
    stage_name = 'lead'
    and (reached_count <> lead_cohort_reached_count or lead_cohort_size <> lead_cohort_reached_count)
