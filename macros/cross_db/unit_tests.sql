{#- dbt compares a unit test's actual and expected rows as text, so on Postgres, whose numeric values
    keep the scale they were computed with, 300.0000000000 and an expected 300.0 differ although the
    numbers are equal (DuckDB's decimals print the column's scale on both sides). This override of
    dbt's get_unit_test_sql trims the scale of every numeric column (trim_scale: 300.0000000000 ->
    300, 0E-10 -> 0) on both sides before the comparison; every other column is compared as dbt does. -#}
{% macro postgres__get_unit_test_sql(main_sql, expected_fixture_sql, expected_column_names) -%}
    {%- set numeric_columns = [] -%}
    {%- if execute -%}
        {%- for column in get_column_schema_from_query(main_sql) -%}
            {%- if column.dtype | lower in ('numeric', 'decimal') -%}
                {%- do numeric_columns.append(adapter.quote(column.name)) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
-- Build actual result given inputs
with dbt_internal_unit_test_actual as (
    select
        {% for name in expected_column_names -%}
            {{ _unit_test_column(name, numeric_columns) }},
        {% endfor -%}
        {{ dbt.string_literal("actual") }} as {{ adapter.quote("actual_or_expected") }}
    from (
        {{ main_sql }}
    ) as _dbt_internal_unit_test_actual
),

-- Build expected result
dbt_internal_unit_test_expected as (
    select
        {% for name in expected_column_names -%}
            {{ _unit_test_column(name, numeric_columns) }},
        {% endfor -%}
        {{ dbt.string_literal("expected") }} as {{ adapter.quote("actual_or_expected") }}
    from (
        {{ expected_fixture_sql }}
    ) as _dbt_internal_unit_test_expected
)

-- Union actual and expected results
select * from dbt_internal_unit_test_actual
union all
select * from dbt_internal_unit_test_expected
{%- endmacro %}

{% macro _unit_test_column(name, numeric_columns) -%}
    {%- if name in numeric_columns -%}
        trim_scale({{ name }}) as {{ name }}
    {%- else -%}
        {{ name }}
    {%- endif -%}
{%- endmacro %}
