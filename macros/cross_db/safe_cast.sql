{#- dbt's safe_cast compiles to a plain cast on DuckDB, which fails on a bad value. Staging must
    turn unparseable values into nulls (and then into a reject rule), so DuckDB uses try_cast. -#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

{#- Postgres has no try_cast: the types staging casts text to get a function that returns null for a
    value that does not parse (created by prepare_engine, macros/cross_db/engine_setup.sql); other
    types fall back to a plain cast. -#}
{% macro postgres__safe_cast(field, type) -%}
    {%- set functions = {
        'date': 'try_cast_date',
        'integer': 'try_cast_integer',
        'timestamp with time zone': 'try_cast_timestamptz',
        'json': 'try_cast_json',
    } -%}
    {%- set function = functions.get(type | lower | trim) -%}
    {%- if function -%}
        {{ target.schema }}.{{ function }}(cast({{ field }} as text))
    {%- else -%}
        cast({{ field }} as {{ type }})
    {%- endif -%}
{%- endmacro %}
