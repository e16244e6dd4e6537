{#- The materialization of a model that is incremental where the engine can replace rows by key:
    `materialized=incremental_materialization()` in its config.

    Spark here writes Parquet tables (dbt_project.yml's file_format): Delta and Iceberg, the formats
    dbt-spark's merge strategy needs, ship their jars outside PyPI, so a pip-installed Spark has
    neither, and Parquet tables take only append or a partition overwrite, which cannot replace a
    visitor's rows by unique_key. There the model is a table rebuilt in full on every run: the same
    rows as an incremental run (tools/tests/test_incremental.py checks that an incremental run and a
    full refresh agree), only slower. -#}
{% macro incremental_materialization() -%}
    {{ return(adapter.dispatch('incremental_materialization')()) }}
{%- endmacro %}

{% macro default__incremental_materialization() -%}
    {{ return('incremental') }}
{%- endmacro %}

{% macro spark__incremental_materialization() -%}
    {{ return('table') }}
{%- endmacro %}
