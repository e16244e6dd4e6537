-- Speed to lead by lead creation month and source channel (with source_channel 'all' for the
-- total): over the leads that were touched, the mean and median exact hours from creation to the
-- first task or event logged against the lead by a user; over ALL leads created in the month, the
-- share answered within 1 hour (hours <= 1; a lead never touched counts as not answered). Every
-- month from the first lead to the as-of month and every channel has a row.
with response_times as (
    select * from {{ ref('int_lead_response_times') }}
),

channels as (
    select * from {{ ref('int_lead_source_channel') }}
),

months as (
    select * from {{ ref('int_months') }}
),

grid as (
    {{ sales_rollup_grid(['source_channel']) }}
),

leads as (
    select
        response_times.lead_id,
        response_times.first_touched_at,
        response_times.speed_to_lead_hours,
        response_times.is_answered_within_1h,
        channels.source_channel,
        cast({{ dbt.date_trunc('month', 'response_times.lead_created_at') }} as date) as month
    from response_times
    inner join channels on response_times.lead_id = channels.lead_id
),

rolled_up as (
    select
        leads.month,
        leads.first_touched_at,
        leads.speed_to_lead_hours,
        leads.is_answered_within_1h,
        {{ sales_rollup_value('source_channel', 'grid', 'leads') }} as source_channel
    from leads
    cross join grid
),

aggregated as (
    select
        month,
        source_channel,
        count(*) as lead_count,
        count(first_touched_at) as touched_lead_count,
        sum(case when is_answered_within_1h then 1 else 0 end) as answered_within_1h_count,
        avg(speed_to_lead_hours) as mean_speed_to_lead_hours,
        {{ sales_median('speed_to_lead_hours') }} as median_speed_to_lead_hours
    from rolled_up
    group by
        month,
        source_channel
),

channel_values as (
    select distinct source_channel from aggregated
),

first_month as (
    select min(month) as first_lead_month from leads
),

spine as (
    select
        months.month,
        channel_values.source_channel
    from months
    inner join first_month on months.month >= first_month.first_lead_month
    cross join channel_values
),

final as (
    select
        {{ sales_key(['spine.month', 'spine.source_channel']) }} as speed_to_lead_month_id,
        spine.month,
        spine.source_channel,
        cast(coalesce(aggregated.lead_count, 0) as bigint) as lead_count,
        cast(coalesce(aggregated.touched_lead_count, 0) as bigint) as touched_lead_count,
        cast(coalesce(aggregated.answered_within_1h_count, 0) as bigint) as answered_within_1h_count,
        cast(aggregated.mean_speed_to_lead_hours as {{ type_double() }}) as mean_speed_to_lead_hours,
        cast(aggregated.median_speed_to_lead_hours as {{ type_double() }}) as median_speed_to_lead_hours,
        cast(
            cast(aggregated.answered_within_1h_count as decimal(18, 6)) / nullif(aggregated.lead_count, 0)
            as decimal(9, 6)
        ) as answered_within_1h_share
    from spine
    left join aggregated
        on
            spine.month = aggregated.month
            and spine.source_channel = aggregated.source_channel
)

select * from final
