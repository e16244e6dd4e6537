{#- A person's key (an email, a name, a user id) as a salted sha256, hex: the same person gives the
    same key in every mart and on every engine, and the key cannot be turned back into the person
    without the salt. The salt is read at query time from the one-row table restricted.pii_salt (var
    pii_salt_schema), which `revops postgres-setup` (Postgres) or `revops write-salt` (a DuckDB file)
    fill from the environment variable DBT_ENV_SECRET_PII_SALT. So the salt never appears in SQL
    text, dbt's compiled files or logs, and on Postgres only the table's owner, the dbt user, can
    read it. Null in, null out. -#}
{% macro person_key_hash(column) -%}
    {{ return(adapter.dispatch('person_key_hash')(column)) }}
{%- endmacro %}

{% macro _pii_salt() -%}
    (select pii_salt.salt from {{ var('pii_salt_schema', 'restricted') }}.pii_salt as pii_salt)
{%- endmacro %}

{% macro default__person_key_hash(column) -%}
    encode(sha256(convert_to({{ _pii_salt() }} || cast({{ column }} as text), 'UTF8')), 'hex')
{%- endmacro %}

{% macro duckdb__person_key_hash(column) -%}
    sha256({{ _pii_salt() }} || cast({{ column }} as varchar))
{%- endmacro %}

{% macro spark__person_key_hash(column) -%}
    sha2(concat({{ _pii_salt() }}, cast({{ column }} as string)), 256)
{%- endmacro %}
