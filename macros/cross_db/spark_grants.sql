{#- Spark here has no users or roles: the session runs Spark in dbt's own process over a local
    metastore, where GRANT is "Operation not allowed" (a Spark server with an authorizer, such as a
    Thrift server with Ranger or Unity Catalog on Databricks, would take grants). So the `grants` of
    dbt_project.yml are skipped on Spark, as dbt-duckdb skips them on a DuckDB file; the marts hold
    the same rows on every engine, and access is the serving engine's business. -#}
{% macro spark__apply_grants(relation, grant_config, should_revoke=True) -%}
    {%- if grant_config and execute -%}
        {%- do log('Spark: grants of ' ~ relation ~ ' skipped (no roles in a local Spark session)') -%}
    {%- endif -%}
{%- endmacro %}
