{#- dbt.datediff's Postgres version as a bigint, the type DuckDB's date_diff returns: Postgres subtracts
    dates to an integer, so a count of days would be int4 there and int8 on DuckDB, and the marts'
    contracts (bigint) would fail on Postgres. The arithmetic is dbt-postgres's own. -#}
{% macro postgres__datediff(first_date, second_date, datepart) -%}
    cast({{ dbt.postgres__datediff(first_date, second_date, datepart) }} as bigint)
{%- endmacro %}
