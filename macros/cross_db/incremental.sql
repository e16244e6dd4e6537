{#- Incremental models: the strategy and the lookback window, in one place for every engine.

    incremental_replace_strategy(): how an incremental run replaces the rows it recomputed, by the
    model's unique_key. dbt's default differs by engine (DuckDB and Postgres delete+insert, Spark
    append, which would duplicate every recomputed row), so our models never rely on the default.
    delete+insert where the engine has it; merge on Spark, which has no delete+insert (merge needs
    Delta or Iceberg tables: on this project's Parquet Spark target the model is a plain table, see
    incremental_materialization.sql). Both need a unique_key that is unique in the new rows. -#}
{% macro incremental_replace_strategy() -%}
    {{ return(adapter.dispatch('incremental_replace_strategy')()) }}
{%- endmacro %}

{% macro default__incremental_replace_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro spark__incremental_replace_strategy() -%}
    {{ return('merge') }}
{%- endmacro %}

{#- The instant from which an incremental run re-reads rows: the latest `column` already in the
    model, less var incremental_lookback_days (rows that land late or out of order within the
    window are picked up again; the unique_key replaces the copies already there). Use it as
    `where loaded_at >= {{ incremental_lookback_start('loaded_at') }}`, inside
    `{% if is_incremental() %}`. At run time it is looked up first and written into the SQL as a
    literal: engines push a filter on a constant below the base views' projections (DuckDB does
    not push a scalar subquery), so only the new rows are cleaned. A unit test mocks `this` as a
    CTE, so there it stays a subquery. -#}
{% macro incremental_lookback_start(column) -%}
    {#- an empty table (built with --empty, say) reads everything -#}
    {%- set since_sql -%}
        select coalesce(
            {{ dbt.dateadd('day', -1 * var('incremental_lookback_days') | int, 'max(' ~ column ~ ')') }},
            cast('0001-01-01 00:00:00' as {{ dbt.type_timestamp() }})
        )
        from {{ this }}
    {%- endset -%}
    {%- if execute and model.resource_type != 'unit_test' -%}
        cast('{{ run_query(since_sql).columns[0].values()[0] }}' as {{ dbt.type_timestamp() }})
    {%- else -%}
        ({{ since_sql }})
    {%- endif -%}
{%- endmacro %}
