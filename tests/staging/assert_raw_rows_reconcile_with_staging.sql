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

-- A raw table without rows has no dispositions row: it counts as zeros, so it reconciles when
-- staging and rejects are empty too (a connector's first sync of an empty table, `dbt build --empty`).
select
    counts.source_table,
    counts.raw_rows,
    counts.staged_rows,
    counts.rejected_rows,
    coalesce(dispositions.removed_rows, 0) as removed_rows,
    coalesce(dispositions.counted_rows, 0) as counted_rows
from counts
left join dispositions on counts.source_table = dispositions.source_table
where
    counts.raw_rows != coalesce(dispositions.counted_rows, 0)
    or counts.staged_rows != coalesce(dispositions.staged_rows, 0)
    or counts.rejected_rows != coalesce(dispositions.rejected_rows, 0)
    or counts.raw_rows
    != counts.staged_rows + counts.rejected_rows + coalesce(dispositions.removed_rows, 0)
