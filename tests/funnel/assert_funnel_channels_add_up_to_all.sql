-- The channels of the funnel mart add up to its 'all' rows, count for count.
with funnel as (
    select * from {{ ref('fct_funnel_conversion_monthly') }}
),

channel_sums as (
    select
        cohort_month,
        stage_name,
        sum(reached_count) as reached_count,
        sum(coalesce(advanced_count, 0)) as advanced_count,
        sum(lead_cohort_reached_count) as lead_cohort_reached_count
    from funnel
    where source_channel <> 'all'
    group by
        cohort_month,
        stage_name
)

select
    channel_sums.cohort_month,
    channel_sums.stage_name
from channel_sums
inner join funnel
    on
        channel_sums.cohort_month = funnel.cohort_month
        and channel_sums.stage_name = funnel.stage_name
        and funnel.source_channel = 'all'
where
    channel_sums.reached_count <> funnel.reached_count
    or channel_sums.advanced_count <> coalesce(funnel.advanced_count, 0)
    or channel_sums.lead_cohort_reached_count <> funnel.lead_cohort_reached_count
