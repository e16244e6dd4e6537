{#- on-run-end (dbt_project.yml): dbt's `grants` give roles SELECT on tables, but a role also needs
    USAGE on a table's schema to reach it. This grants USAGE on every schema holding a model with
    grants to each role that holds SELECT on one of that schema's tables (so the roles are named in
    one place, the grants of dbt_project.yml), and to no one else: staging, intermediate, reference
    and the raw schemas stay closed. Nothing on engines without roles (DuckDB). -#}
{% macro grant_marts_schema_usage() -%}
    {{ return(adapter.dispatch('grant_marts_schema_usage')()) }}
{%- endmacro %}

{% macro default__grant_marts_schema_usage() -%}
{%- endmacro %}

{% macro postgres__grant_marts_schema_usage() -%}
    {%- set schemas = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values() -%}
            {%- if node.resource_type == 'model' and node.config.grants and node.schema not in schemas -%}
                {%- do schemas.append(node.schema) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if schemas -%}
    do $grants$
    declare
        grant_row record;
    begin
        for grant_row in
            select distinct grants.table_schema, grants.grantee
            from information_schema.role_table_grants as grants
            where
                grants.table_schema in ({% for schema in schemas %}'{{ schema }}'{% if not loop.last %}, {% endif %}{% endfor %})
                and grants.privilege_type = 'SELECT'
                and grants.grantee not in (current_user, 'PUBLIC')
        loop
            execute format('grant usage on schema %I to %I', grant_row.table_schema, grant_row.grantee);
        end loop;
    end
    $grants$
    {%- endif -%}
{%- endmacro %}
