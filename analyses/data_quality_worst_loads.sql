-- Which raw tables lost the most rows to data-quality checks in the last 30 days of loads, and to
-- which rules? Run with `dbt compile -s data_quality_worst_loads` and paste into any SQL client.
with checks as (
    select * from {{ ref('fct_data_quality_checks') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

recent as (
    select
        checks.source_table,
        checks.check_category,
        checks.check_name,
        sum(checks.rows_failed) as rows_failed,
        sum(checks.rows_checked) as rows_checked
    from checks
    cross join as_of
    where checks.load_date > {{ dbt.dateadd('day', -30, 'as_of.as_of_date') }}
    group by 1, 2, 3
),

final as (
    select
        source_table,
        check_category,
        check_name,
        rows_failed,
        rows_checked,
        rows_failed * 1.0 / nullif(rows_checked, 0) as failure_rate
    from recent
)

select * from final
order by 4 desc
