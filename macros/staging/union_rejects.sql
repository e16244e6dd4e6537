{#- The rejects relation of one source: every row its base models rejected, with the raw table,
    the row's id, the rule it broke and the whole raw row as JSON text.
    `tables` is a list of (raw table name, base model name, ...) tuples. -#}
{% macro union_rejects(source_name, tables) -%}
    {%- for entry in tables %}
    {%- set raw_table, base_model = entry[0], entry[1] %}
    select
        {{ dbt.hash("'" ~ source_name ~ "." ~ raw_table ~ "' || raw_row") }} as reject_id,
        cast('{{ source_name }}.{{ raw_table }}' as {{ dbt.type_string() }}) as source_table,
        cast(source_row_id as {{ dbt.type_string() }}) as source_row_id,
        cast(reject_rule as {{ dbt.type_string() }}) as reject_rule,
        cast(raw_row as {{ dbt.type_string() }}) as raw_row,
        cast(_fivetran_synced as timestamp) as loaded_at
    from {{ ref(base_model) }}
    -- the same rows as row_disposition = 'rejected', but a filter on the column that is a constant
    -- in each branch of the base model (macro select_with_row_disposition): the engine drops the
    -- branch of the other rows, with its latest-load aggregate over every raw row, at planning
    where is_rejected
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
