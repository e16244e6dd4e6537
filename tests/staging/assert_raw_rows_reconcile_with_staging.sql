-- Every raw row is accounted for, table by table: raw rows = staged + rejected + duplicate loads +
-- deletes + merges, the staging model holds exactly the staged rows and the rejects table exactly
-- the rejected ones. Returns one row per table that does not reconcile.
{%- set sources = staging_tables() %}

with counts as (
    {%- for source_name, tables in sources.items() %}
        {%- for raw_table, base_model, staging_model in tables %}
            select
                'raw_{{ source_name }}.{{ raw_table }}' as source_table,
                (select count(*) from {{ source(source_name, raw_table) }}) as raw_rows,
                (select count(*) from {{ ref(staging_model) }}) as staged_rows,
                (
                    select count(*) from {{ ref('stg_' ~ source_name ~ '__rejects') }}
                    where source_table = 'raw_{{ source_name }}.{{ raw_table }}'
                ) as rejected_rows
            {%- if not loop.last %}
                union all
            {%- endif %}
        {%- endfor %}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

dispositions as (
    select
        source_table,
        sum(row_count) as counted_rows,
        sum(case when row_disposition = 'staged' then row_count else 0 end) as staged_rows,
        sum(case when row_disposition = 'rejected' then row_count else 0 end) as rejected_rows,
        sum(case when row_disposition in ('duplicate', 'deleted', 'merged') then row_count else 0 end)
            as removed_rows
    from {{ ref('int_staging_row_dispositions') }}
    group by 1
)

select
    counts.source_table,
    counts.raw_rows,
    counts.staged_rows,
    counts.rejected_rows,
    dispositions.removed_rows,
    dispositions.counted_rows
from counts
left join dispositions on counts.source_table = dispositions.source_table
where
    dispositions.source_table is null
    or counts.raw_rows != dispositions.counted_rows
    or counts.staged_rows != dispositions.staged_rows
    or counts.rejected_rows != dispositions.rejected_rows
    or counts.raw_rows != counts.staged_rows + counts.rejected_rows + dispositions.removed_rows
