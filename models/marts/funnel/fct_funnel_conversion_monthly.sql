-- Funnel conversion by month, source channel and stage (kpi-definitions section 3), two cohort
-- views side by side:
--   stage cohort (stage conversion rate): of the leads that reached stage s in the month, the
--     share that reached stage s+1 (by today), with the median days between the two: exact days
--     between two instants (lead created, MQL, SQL), whole calendar days once a date stage
--     (opportunity = converted date, closed-won = close date) is involved;
--   lead cohort (funnel conversion rate): of the leads created in the month, how many reached
--     stage s by today; at stage closed_won, won / leads created is the funnel conversion rate.
-- Every month from the first lead to the as-of month, every channel and stage has a row (zero
-- counts included); source_channel 'all' is the total of the channels.
with lead_funnel as {{ not_materialized() }} (
    select * from {{ ref('fct_lead_funnel') }}
),

months as (
    select * from {{ ref('int_months') }}
),

grid as (
    {{ sales_rollup_grid(['source_channel']) }}
),

stage_steps as (
    select
        lead_id,
        source_channel,
        lead_cohort_month,
        'lead' as stage_name,
        1 as stage_order,
        cast({{ dbt.date_trunc('month', 'lead_created_at') }} as date) as reached_month,
        mql_at is not null as has_advanced,
        {{ sales_days_between_instants('lead_created_at', 'mql_at') }} as days_to_next_stage
    from lead_funnel

    union all

    select
        lead_id,
        source_channel,
        lead_cohort_month,
        'mql' as stage_name,
        2 as stage_order,
        cast({{ dbt.date_trunc('month', 'mql_at') }} as date) as reached_month,
        sql_at is not null as has_advanced,
        {{ sales_days_between_instants('mql_at', 'sql_at') }} as days_to_next_stage
    from lead_funnel
    where mql_at is not null

    union all

    select
        lead_id,
        source_channel,
        lead_cohort_month,
        'sql' as stage_name,
        3 as stage_order,
        cast({{ dbt.date_trunc('month', 'sql_at') }} as date) as reached_month,
        opportunity_date is not null as has_advanced,
        cast(
            {{ sales_days_between_dates('sql_at', 'opportunity_date') }}
            as {{ type_double() }}
        ) as days_to_next_stage
    from lead_funnel
    where sql_at is not null

    union all

    select
        lead_id,
        source_channel,
        lead_cohort_month,
        'opportunity' as stage_name,
        4 as stage_order,
        cast({{ dbt.date_trunc('month', 'opportunity_date') }} as date) as reached_month,
        won_date is not null as has_advanced,
        cast(
            {{ sales_days_between_dates('opportunity_date', 'won_date') }}
            as {{ type_double() }}
        ) as days_to_next_stage
    from lead_funnel
    where opportunity_date is not null

    union all

    select
        lead_id,
        source_channel,
        lead_cohort_month,
        'closed_won' as stage_name,
        5 as stage_order,
        cast({{ dbt.date_trunc('month', 'won_date') }} as date) as reached_month,
        null as has_advanced,
        null as days_to_next_stage
    from lead_funnel
    where won_date is not null
),

stage_steps_rolled_up as (
    select
        stage_steps.stage_name,
        stage_steps.stage_order,
        stage_steps.reached_month,
        stage_steps.lead_cohort_month,
        stage_steps.has_advanced,
        stage_steps.days_to_next_stage,
        {{ sales_rollup_value('source_channel', 'grid', 'stage_steps') }} as source_channel
    from stage_steps
    cross join grid
),

stage_cohorts as (
    select
        reached_month as cohort_month,
        source_channel,
        stage_name,
        count(*) as reached_count,
        sum(case when has_advanced then 1 else 0 end) as advanced_count,
        {{ sales_median('case when has_advanced then days_to_next_stage end') }} as median_days_to_next_stage
    from stage_steps_rolled_up
    group by
        reached_month,
        source_channel,
        stage_name
),

lead_cohorts as (
    select
        lead_cohort_month as cohort_month,
        source_channel,
        stage_name,
        count(*) as lead_cohort_reached_count
    from stage_steps_rolled_up
    group by
        lead_cohort_month,
        source_channel,
        stage_name
),

lead_cohort_sizes as (
    select
        cohort_month,
        source_channel,
        lead_cohort_reached_count as leads_created_count
    from lead_cohorts
    where stage_name = 'lead'
),

stages as (
    select
        'lead' as stage_name,
        1 as stage_order,
        'mql' as next_stage_name
    union all
    select
        'mql' as stage_name,
        2 as stage_order,
        'sql' as next_stage_name
    union all
    select
        'sql' as stage_name,
        3 as stage_order,
        'opportunity' as next_stage_name
    union all
    select
        'opportunity' as stage_name,
        4 as stage_order,
        'closed_won' as next_stage_name
    union all
    select
        'closed_won' as stage_name,
        5 as stage_order,
        null as next_stage_name
),

channels as (
    select distinct source_channel from stage_steps_rolled_up
),

first_cohort as (
    select min(lead_cohort_month) as first_cohort_month from lead_funnel
),

cohort_months as (
    select months.month as cohort_month
    from months
    inner join first_cohort on months.month >= first_cohort.first_cohort_month
),

spine as (
    select
        cohort_months.cohort_month,
        channels.source_channel,
        stages.stage_name,
        stages.stage_order,
        stages.next_stage_name
    from cohort_months
    cross join channels
    cross join stages
),

final as (
    select
        {{ sales_key(['spine.cohort_month', 'spine.source_channel', 'spine.stage_name']) }}
            as funnel_conversion_id,
        spine.cohort_month,
        spine.source_channel,
        spine.stage_name,
        spine.stage_order,
        spine.next_stage_name,
        cast(coalesce(stage_cohorts.reached_count, 0) as bigint) as reached_count,
        case
            when spine.next_stage_name is not null
                then cast(coalesce(stage_cohorts.advanced_count, 0) as bigint)
        end as advanced_count,
        case
            when spine.next_stage_name is not null
                then cast(
                    cast(stage_cohorts.advanced_count as decimal(18, 6)) / nullif(stage_cohorts.reached_count, 0)
                    as decimal(9, 6)
                )
        end as stage_conversion_rate,
        cast(stage_cohorts.median_days_to_next_stage as {{ type_double() }}) as median_days_to_next_stage,
        cast(coalesce(lead_cohorts.lead_cohort_reached_count, 0) as bigint) as lead_cohort_reached_count,
        cast(coalesce(lead_cohort_sizes.leads_created_count, 0) as bigint) as lead_cohort_size,
        cast(
            cast(coalesce(lead_cohorts.lead_cohort_reached_count, 0) as decimal(18, 6))
            / nullif(lead_cohort_sizes.leads_created_count, 0)
            as decimal(9, 6)
        ) as lead_cohort_conversion_rate
    from spine
    left join stage_cohorts
        on
            spine.cohort_month = stage_cohorts.cohort_month
            and spine.source_channel = stage_cohorts.source_channel
            and spine.stage_name = stage_cohorts.stage_name
    left join lead_cohorts
        on
            spine.cohort_month = lead_cohorts.cohort_month
            and spine.source_channel = lead_cohorts.source_channel
            and spine.stage_name = lead_cohorts.stage_name
    left join lead_cohort_sizes
        on
            spine.cohort_month = lead_cohort_sizes.cohort_month
            and spine.source_channel = lead_cohort_sizes.source_channel
)

select * from final
