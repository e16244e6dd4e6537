-- Every calendar month from the first month of the FX seed to the as-of month: the month spine
-- that monthly KPIs are laid on. `month` is the month's first day; month_end_at is eom(m), the
-- last instant of the month (the first instant of the next month minus nothing: compare with <).
with fx as (
    select min(month) as first_month from {{ ref('fx_rates_monthly') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

spine as (
    {{ dbt.date_spine('month', "cast('2022-01-01' as date)", "cast('2028-01-01' as date)") }}
),

months as (
    select
        cast(spine.date_month as date) as month,
        cast({{ dbt.dateadd('month', 1, 'spine.date_month') }} as date) as next_month
    from spine
    cross join fx
    cross join as_of
    where
        spine.date_month >= fx.first_month
        and spine.date_month <= as_of.as_of_month
),

final as (
    select
        month,
        cast(next_month as timestamp) as next_month_start_at,
        cast({{ dbt.dateadd('day', -1, 'next_month') }} as date) as month_last_date,
        {{ dbt.datediff('month', 'next_month', 'day') }}
            as days_in_month
    from months
)

select * from final
