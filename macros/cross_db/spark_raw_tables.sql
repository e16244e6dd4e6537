{#- Spark reads the raw tables from the Parquet files that `revops export-parquet` writes beside the
    DuckDB file: each becomes an external table over its folder, in a database named like the
    source's schema (raw_salesforce.account over <dir>/raw_salesforce/account), so the sources, and
    every model reading them, are the same on every engine. Tables rather than sources with a
    location in YAML: source() keeps its meaning, and source freshness, the landing checks' SQL and
    ad-hoc queries see the same names as on DuckDB.

    The folder is env var RAW_PARQUET_DIR, or else WAREHOUSE_PATH with .duckdb replaced by
    .raw_parquet (what `revops export-parquet` writes by default); it must be absolute (Spark
    resolves a relative location against its warehouse folder).

    replace=false (every dbt invocation, through prepare_engine): creates the tables that do not
    exist yet and leaves the others, which already read whatever files the folder holds now (unless
    they were registered over another folder: then all are registered again).
    replace=true (`dbt run-operation register_raw_tables --args '{replace: true}'`, after an
    export): drops and creates every table again, for a new folder or changed columns. Dropping an
    external table leaves its files. -#}
{% macro raw_parquet_dir() -%}
    {%- set explicit = env_var('RAW_PARQUET_DIR', '') -%}
    {%- if explicit -%}
        {%- set folder = explicit -%}
    {%- else -%}
        {%- set warehouse = env_var('WAREHOUSE_PATH', 'warehouse.duckdb') -%}
        {%- set folder = modules.re.sub('\\.duckdb$', '', warehouse) ~ '.raw_parquet' -%}
    {%- endif -%}
    {%- if not folder.startswith('/') -%}
        {{ exceptions.raise_compiler_error(
            "The raw Parquet folder must be an absolute path, got '" ~ folder
            ~ "': set RAW_PARQUET_DIR or an absolute WAREHOUSE_PATH") }}
    {%- endif -%}
    {{ return(folder.rstrip('/')) }}
{%- endmacro %}

{% macro register_raw_tables(replace=false) -%}
    {%- if execute and target.type == 'spark' -%}
        {%- set folder = raw_parquet_dir() -%}
        {%- set tables = [] -%}
        {%- for node in graph.sources.values() -%}
            {%- if (node.schema, node.identifier) not in tables -%}
                {%- do tables.append((node.schema, node.identifier)) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set schemas = tables | map(attribute=0) | unique | list -%}
        {%- for schema in schemas -%}
            {%- do run_query('create database if not exists ' ~ schema) -%}
        {%- endfor -%}
        {#- Tables registered over another folder (another WAREHOUSE_PATH with the same Spark state)
            are registered again: one table's location tells. -#}
        {%- set state = namespace(replace=replace) -%}
        {%- if not replace and tables -%}
            {%- set probe = tables[0][0] ~ '.' ~ tables[0][1] -%}
            {%- if run_query("show tables in " ~ tables[0][0] ~ " like '" ~ tables[0][1] ~ "'") | length > 0 -%}
                {%- for row in run_query('describe table extended ' ~ probe) -%}
                    {%- if row[0] == 'Location'
                        and row[1] | replace('file://', '') | replace('file:', '')
                        != folder ~ '/' ~ tables[0][0] ~ '/' ~ tables[0][1] -%}
                        {%- set state.replace = true -%}
                    {%- endif -%}
                {%- endfor -%}
            {%- endif -%}
        {%- endif -%}
        {%- for schema, identifier in tables -%}
            {%- if state.replace -%}
                {%- do run_query('drop table if exists ' ~ schema ~ '.' ~ identifier) -%}
            {%- endif -%}
            {%- do run_query(
                'create table if not exists ' ~ schema ~ '.' ~ identifier
                ~ " using parquet location '" ~ folder ~ '/' ~ schema ~ '/' ~ identifier ~ "'"
            ) -%}
        {%- endfor -%}
        {%- do log('Spark: ' ~ tables | length ~ ' raw tables over ' ~ folder, info=true) -%}
    {%- endif -%}
{%- endmacro %}
