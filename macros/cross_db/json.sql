{#- One string value out of a JSON text column; null when the key or the JSON is missing. -#}
{% macro json_string(column, key) -%}
    {{ return(adapter.dispatch('json_string')(column, key)) }}
{%- endmacro %}

{% macro default__json_string(column, key) -%}
    (cast({{ column }} as json) ->> '{{ key }}')
{%- endmacro %}

{% macro postgres__json_string(column, key) -%}
    ({{ dbt.safe_cast(column, 'json') }} ->> '{{ key }}')
{%- endmacro %}

{% macro duckdb__json_string(column, key) -%}
    json_extract_string(try_cast({{ column }} as json), '$.{{ key }}')
{%- endmacro %}

{% macro spark__json_string(column, key) -%}
    get_json_object({{ column }}, '$.{{ key }}')
{%- endmacro %}

{#- A whole row as JSON text, kept with every rejected row so nothing is lost. -#}
{% macro row_to_json_text(relation_alias) -%}
    {{ return(adapter.dispatch('row_to_json_text')(relation_alias)) }}
{%- endmacro %}

{% macro default__row_to_json_text(relation_alias) -%}
    cast(row_to_json({{ relation_alias }}) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro duckdb__row_to_json_text(relation_alias) -%}
    cast(to_json({{ relation_alias }}) as varchar)
{%- endmacro %}

{% macro spark__row_to_json_text(relation_alias) -%}
    to_json(struct({{ relation_alias }}.*))
{%- endmacro %}
