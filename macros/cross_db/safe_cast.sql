{#- dbt's safe_cast compiles to a plain cast on DuckDB, which fails on a bad value. Staging must
    turn unparseable values into nulls (and then into a reject rule), so DuckDB uses try_cast. -#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
