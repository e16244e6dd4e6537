{#- A model's pre-hook for queries whose join order a cost-based planner gets wrong: the joins run
    in the order the model writes them. Postgres materialises a CTE that a query reads more than
    once and then has no statistics for it, so it may join two such CTEs on a low-cardinality column
    first (int_identity_records_resolved: every record with every record at the same anchor distance,
    hundreds of millions of rows). `set local` lasts for the model's transaction only. Nothing on
    engines whose planner does not need it. -#}
{% macro follow_written_join_order() -%}
    {{ return(adapter.dispatch('follow_written_join_order')()) }}
{%- endmacro %}

{% macro default__follow_written_join_order() -%}
{%- endmacro %}

{% macro postgres__follow_written_join_order() -%}
    set local join_collapse_limit = 1
{%- endmacro %}

{#- A model's post-hook (dbt_project.yml, every model): fresh statistics for the planner. Postgres
    gathers them only when autovacuum gets round to a new table, so the models built right after it
    would be planned blind (a join of 88 customers ran for minutes). Tables only; nothing on engines
    that keep statistics as they write (DuckDB). -#}
{% macro analyze_after_build() -%}
    {{ return(adapter.dispatch('analyze_after_build')()) }}
{%- endmacro %}

{% macro default__analyze_after_build() -%}
{%- endmacro %}

{% macro postgres__analyze_after_build() -%}
    {%- if config.get('materialized') in ('table', 'incremental') -%}
        analyze {{ this }}
    {%- endif -%}
{%- endmacro %}
