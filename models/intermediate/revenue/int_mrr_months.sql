-- The months MRR is measured in, each with the instant it is measured at: eom(m), the last
-- millisecond before the next month starts, or for the as-of month the last millisecond before
-- int_as_of.as_of_at (facts before the as-of instant count), so a change made later never
-- rewrites a past month. One row per month of the calendar spine.
with months as (
    select * from {{ ref('int_months') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

bounds as (
    select
        months.month,
        months.next_month_start_at,
        months.month = as_of.as_of_month as is_as_of_month,
        case
            when months.month = as_of.as_of_month then as_of.as_of_at
            else months.next_month_start_at
        end as measured_before_at
    from months
    cross join as_of
),

final as (
    select
        month,
        cast({{ dbt.dateadd('month', -1, 'month') }} as date) as previous_month,
        is_as_of_month,
        measured_before_at,
        cast({{ dbt.dateadd('millisecond', -1, 'measured_before_at') }} as timestamp) as measured_at
    from bounds
)

select * from final
