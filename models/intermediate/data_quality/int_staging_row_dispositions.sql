-- How many raw rows of each table and load day staging staged, rejected (by rule) or removed as
-- duplicate loads, deletes and merges. One loop over the staging registry (macro staging_tables),
-- so a new raw table is counted as soon as it is registered.
{%- set sources = staging_tables() %}

with dispositions as (
    {%- for source_name, tables in sources.items() %}
        {%- for raw_table, base_model, _ in tables %}
            select
                cast('raw_{{ source_name }}.{{ raw_table }}' as {{ dbt.type_string() }}) as source_table,
                cast({{ dbt.date_trunc('day', '_fivetran_synced') }} as date) as load_date,
                cast(row_disposition as {{ dbt.type_string() }}) as row_disposition,
                cast(reject_rule as {{ dbt.type_string() }}) as reject_rule,
                cast(count(*) as bigint) as row_count
            from {{ ref(base_model) }}
            group by 1, 2, 3, 4
            {%- if not loop.last %}
                union all
            {%- endif %}
        {%- endfor %}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        {{ dbt.concat(["source_table", "'|'", "cast(load_date as " ~ dbt.type_string() ~ ")",
                       "'|'", "row_disposition", "'|'", "coalesce(reject_rule, '')"]) }} as disposition_key,
        source_table,
        load_date,
        row_disposition,
        reject_rule,
        row_count
    from dispositions
)

select * from final
