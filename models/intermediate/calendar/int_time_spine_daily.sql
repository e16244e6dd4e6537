-- The daily time spine MetricFlow needs (dbt 1.9+ `time_spine:` in the model's YAML): one row per
-- calendar day from the first day of the month spine (int_months) to the last day of the as-of
-- month, so every month a metric is reported for has all of its days. MetricFlow joins metrics to
-- it for metric_time and for cumulative or offset metrics; it has no other use.
with months as (
    select * from {{ ref('int_months') }}
),

bounds as (
    select
        min(month) as first_date,
        max(month_last_date) as last_date
    from months
),

spine as (
    {{ dbt.date_spine('day', "cast('2022-01-01' as date)", "cast('2028-01-01' as date)") }}
),

final as (
    select cast(spine.date_day as date) as date_day
    from spine
    cross join bounds
    where
        spine.date_day >= bounds.first_date
        and spine.date_day <= bounds.last_date
)

select * from final
