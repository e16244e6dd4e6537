-- One row per closed-won opportunity: whether its booking is an in-period booking of its close
-- month, quarter and year, i.e. whether the opportunity was NOT open in the pipeline at the
-- period's first instant. It was open at an instant t when it had been created before t and the
-- stage in force at t (opportunity history: valid_from <= t < valid_to) was not closed. So an
-- opportunity created inside the period, or closed at the period's start and reopened in it, is
-- in-period; one that was open when the period began was in that period's forecast and is not.
-- Quarters and years get their own flag: the state at a quarter's start is not the state at the
-- start of the close month.
with bookings as (
    select * from {{ ref('int_opportunities_closed_valued') }}
    where is_won
),

opportunity_history as (
    select * from {{ ref('stg_salesforce__opportunity_history') }}
),

period_starts as (
    select
        opportunity_id,
        created_at,
        'month' as period_grain,
        cast({{ dbt.date_trunc('month', 'close_date') }} as timestamp) as period_start_at
    from bookings
    union all
    select
        opportunity_id,
        created_at,
        'quarter' as period_grain,
        cast({{ dbt.date_trunc('quarter', 'close_date') }} as timestamp) as period_start_at
    from bookings
    union all
    select
        opportunity_id,
        created_at,
        'year' as period_grain,
        cast({{ dbt.date_trunc('year', 'close_date') }} as timestamp) as period_start_at
    from bookings
),

state_at_start as (
    select
        period_starts.opportunity_id,
        period_starts.period_grain,
        period_starts.period_start_at,
        opportunity_history.stage_name as stage_at_period_start,
        case
            -- not created yet: it cannot have been in the period's pipeline
            when period_starts.created_at >= period_starts.period_start_at then 0
            -- closed (won or lost) when the period began, reopened later
            when opportunity_history.stage_name in ('Closed Won', 'Closed Lost') then 0
            -- created before the period: open (also when its history does not reach back)
            else 1
        end as was_open_at_period_start
    from period_starts
    left join opportunity_history
        on
            period_starts.opportunity_id = opportunity_history.opportunity_id
            and {{ within_validity_range(
                'period_starts.period_start_at', 'opportunity_history.valid_from', 'opportunity_history.valid_to'
            ) }}
),

pivoted as (
    select
        opportunity_id,
        max(case when period_grain = 'month' then period_start_at end) as month_start_at,
        max(case when period_grain = 'month' then stage_at_period_start end) as stage_at_month_start,
        max(case when period_grain = 'month' then was_open_at_period_start end) as was_open_at_month_start,
        max(case when period_grain = 'quarter' then was_open_at_period_start end)
            as was_open_at_quarter_start,
        max(case when period_grain = 'year' then was_open_at_period_start end) as was_open_at_year_start
    from state_at_start
    group by opportunity_id
),

final as (
    select
        -- ids
        opportunity_id,

        -- strings
        stage_at_month_start,

        -- booleans
        was_open_at_month_start = 1 as was_open_at_month_start,
        was_open_at_month_start = 0 as is_in_period_booking,
        was_open_at_quarter_start = 0 as is_in_period_booking_quarter,
        was_open_at_year_start = 0 as is_in_period_booking_year,

        -- timestamps
        month_start_at
    from pivoted
)

select * from final
