-- The warehouse's "today": var as_of_date when set, else the latest load time in the raw data,
-- never the wall clock, so the same data always builds the same marts. One row. The load times are
-- read from the raw tables themselves (every raw row is in its base model, so the latest is the
-- same): through the base models each read computed their row checks (15 s at scale 10).
{%- set sources = staging_tables() %}

with loads as (
    {%- for source_name, tables in sources.items() %}
        {%- for raw_table, _, _ in tables %}
            select max(_fivetran_synced) as loaded_at from {{ source(source_name, raw_table) }}
            {%- if not loop.last %}
                union all
            {%- endif %}
        {%- endfor %}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

latest as (
    select max(loaded_at) as latest_load_at from loads
),

final as (
    select
        1 as as_of_key,
        {%- if var('as_of_date') %}
        cast('{{ var("as_of_date") }}' as date) as as_of_date,
    {%- else %}
            cast(latest_load_at as date) as as_of_date,
        {%- endif %}
        latest_load_at
    from latest
)

select
    as_of_key,
    as_of_date,
    -- the instant the as-of day ends, and the month it belongs to
    cast({{ dbt.dateadd('day', 1, 'as_of_date') }} as timestamp) as as_of_at,
    cast({{ dbt.date_trunc('month', 'as_of_date') }} as date) as as_of_month,
    latest_load_at
from final
