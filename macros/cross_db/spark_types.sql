{#- Spark's spelling of the type names our contracts use (models/marts/*/_*__models.yml): a contract
    can call no macro, so its data_type is spelled as DuckDB and Postgres read it (`varchar`,
    `double precision`), which Spark rejects: it wants `string` (its varchar needs a length) and
    `double`. dbt checks a contract by casting nulls to each declared type (dbt.cast), so the
    translation happens here; every other type name (bigint, integer, decimal(p, s), date,
    timestamp, boolean) is the same on Spark. -#}
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ spark_type_name(type) }})
{%- endmacro %}

{% macro spark_type_name(type) -%}
    {%- set name = type | trim | lower -%}
    {%- if name in ('varchar', 'text', 'character varying') -%}
        {{ return('string') }}
    {%- elif name == 'double precision' -%}
        {{ return('double') }}
    {%- else -%}
        {{ return(type) }}
    {%- endif -%}
{%- endmacro %}
