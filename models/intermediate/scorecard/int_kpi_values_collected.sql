-- Every monthly KPI value of the scorecard, read from its home mart column (kpi-definitions
-- section 5), never computed again. Grain: one row per kpi_name, month, segment_type and
-- segment_value. The KPI -> (home model, column, filter, segment columns) map is the macro
-- scorecard_kpis() (macros/scorecard/), looped here: one select per entry, all unioned.
{%- set kpis = scorecard_kpis() %}

with kpi_values as (
    {%- for entry in kpis %}
        {{ scorecard_kpi_select(entry) }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        cast(kpi_name as {{ dbt.type_string() }}) as kpi_name,
        cast(month as date) as month,
        cast(segment_type as {{ dbt.type_string() }}) as segment_type,
        cast(segment_value as {{ dbt.type_string() }}) as segment_value,
        value,
        home_model,
        home_column
    from kpi_values
)

select * from final
