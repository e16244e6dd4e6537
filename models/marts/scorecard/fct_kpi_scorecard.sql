-- The KPI scorecard (kpi-definitions section 5): one long-format mart that BI tools chart without
-- knowing any other. Grain: one row per kpi_name, month, segment_type and segment_value. Each
-- value comes from its home mart (int_kpi_values_collected); next to it the same KPI and segment
-- one month and twelve months earlier (joined on the month, so a missing month gives null, never
-- the row before it), the change against both, and the target and benchmark of the kpi_targets
-- seed. Status: no_value when the value is null, no_target when the seed has no target, else
-- on_target when the value is at or beyond the target in the KPI's good direction (>= for
-- higher_is_better, <= for lower_is_better) and off_target otherwise.
with kpi_values as {{ not_materialized() }} (
    select * from {{ ref('int_kpi_values_collected') }}
),

kpi_targets as (
    select * from {{ ref('kpi_targets') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

with_history as (
    select
        kpi_values.kpi_name,
        kpi_values.month,
        kpi_values.segment_type,
        kpi_values.segment_value,
        kpi_values.value,
        prior_month.value as prior_month_value,
        year_ago.value as year_ago_value,
        kpi_values.home_model,
        kpi_values.home_column
    from kpi_values
    left join kpi_values as prior_month
        on
            kpi_values.kpi_name = prior_month.kpi_name
            and kpi_values.segment_type = prior_month.segment_type
            and kpi_values.segment_value = prior_month.segment_value
            and prior_month.month = cast({{ dbt.dateadd('month', -1, 'kpi_values.month') }} as date)
    left join kpi_values as year_ago
        on
            kpi_values.kpi_name = year_ago.kpi_name
            and kpi_values.segment_type = year_ago.segment_type
            and kpi_values.segment_value = year_ago.segment_value
            and year_ago.month = cast({{ dbt.dateadd('month', -12, 'kpi_values.month') }} as date)
),

final as (
    select
        {{ dbt.concat([
            "with_history.kpi_name", "'|'", "cast(with_history.month as " ~ dbt.type_string() ~ ")", "'|'",
            "with_history.segment_type", "'|'", "with_history.segment_value"
        ]) }} as kpi_scorecard_id,
        cast(with_history.kpi_name as {{ dbt.type_string() }}) as kpi_name,
        cast(kpi_targets.kpi_group as {{ dbt.type_string() }}) as kpi_group,
        cast(kpi_targets.unit as {{ dbt.type_string() }}) as unit,
        cast(kpi_targets.direction as {{ dbt.type_string() }}) as direction,
        cast(with_history.month as date) as month,
        coalesce(with_history.month < as_of.as_of_month, false) as is_complete_month,
        cast(with_history.segment_type as {{ dbt.type_string() }}) as segment_type,
        cast(with_history.segment_value as {{ dbt.type_string() }}) as segment_value,
        cast(with_history.value as decimal(28, 6)) as value,
        cast(with_history.prior_month_value as decimal(28, 6)) as prior_month_value,
        cast(with_history.year_ago_value as decimal(28, 6)) as year_ago_value,
        cast(with_history.value - with_history.prior_month_value as decimal(28, 6)) as change_vs_prior_month,
        cast(with_history.value - with_history.year_ago_value as decimal(28, 6)) as change_vs_year_ago,
        cast(kpi_targets.target_value as decimal(28, 6)) as target_value,
        cast(kpi_targets.benchmark_value as decimal(28, 6)) as benchmark_value,
        cast(kpi_targets.benchmark_source as {{ dbt.type_string() }}) as benchmark_source,
        cast(
            case
                when with_history.value is null then 'no_value'
                when kpi_targets.target_value is null then 'no_target'
                when kpi_targets.direction = 'higher_is_better' and with_history.value >= kpi_targets.target_value
                    then 'on_target'
                when kpi_targets.direction = 'lower_is_better' and with_history.value <= kpi_targets.target_value
                    then 'on_target'
                else 'off_target'
            end as {{ dbt.type_string() }}
        ) as status,
        cast(kpi_targets.definition as {{ dbt.type_string() }}) as definition,
        cast(with_history.home_model as {{ dbt.type_string() }}) as home_model,
        cast(with_history.home_column as {{ dbt.type_string() }}) as home_column
    from with_history
    left join kpi_targets
        on with_history.kpi_name = kpi_targets.kpi_name
    cross join as_of
)

select * from final
