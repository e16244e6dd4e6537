{#- The final select of a base model: every row of `relation` (a CTE of the raw rows with their
    `reject_rule`) and what staging does with it, `row_disposition`, exactly one of:
    rejected  - it broke a rule (`reject_rule` is not null); it goes to the source's rejects model
    duplicate - an older load of a record that a later load supersedes (a re-sync)
    deleted   - the record's latest load says it was deleted at the source
    merged    - the record was merged into another one at the source (HubSpot contact merges)
    staged    - the row the staging model keeps
    A load is superseded when the record has a later load that passed the rules, so a broken copy
    never hides a good one. The latest load comes from a grouped aggregate joined back, not from a
    row_number window: a window carries every column of every raw row through its sort, and at
    scale 100 the window over 79 M page views ran out of DuckDB's 16 GB even alone (at scale 10 the
    join is also faster: 13 s -> 8 s for stg_web__page_views); an aggregate and a hash join spill.
    Two loads of one record at the same instant (the source contract rules them out) are both
    staged, so the staging model's unique test names the record instead of one copy being dropped
    at random. Rejected rows and the others are two branches of a union, each with a constant
    `is_rejected`: a filter on it (the rejects models) drops the other branch, and with it the
    aggregate over every raw row, when the query is planned, and a filter on `row_disposition =
    'staged'` drops the rejected branch. A filter on `reject_rule` or on a `row_disposition` computed
    by one case expression reaches the rows but still leaves the aggregate to run (DuckDB 1.4), so
    the rejects models paid for it (stg_web__rejects at scale 10: 4.3 s -> 1.7 s on one thread);
    int_staging_row_dispositions, which reads both branches, works out the rules once more
    (8.3 s -> 10.9 s), less than the rejects models save.
    `key` is the record's key (a list for composite keys; every base model rejects null key parts),
    `loaded_at` orders the loads. The CTEs the relation reads need the not_materialized() hint, or
    DuckDB materialises them whole (every column, raw_row too) because they are read twice. -#}
{% macro select_with_row_disposition(relation, key, loaded_at='_fivetran_synced', deleted=none, merged=none) -%}
    {%- set keys = key if key is iterable and key is not string else [key] -%}
    {#- Spark plans the two-branch form of 43 base models at once in the row dispositions (three
        copies of each raw table's checks) and runs out of the driver's heap; it gets one select. -#}
    {%- set one_branch = target.type == 'spark' -%}
{%- if not one_branch %}
select
    {{ relation }}.*,
    cast('rejected' as {{ dbt.type_string() }}) as row_disposition,
    true as is_rejected
from {{ relation }}
where {{ relation }}.reject_rule is not null

union all
{%- endif %}

select
    {{ relation }}.*,
    case
        {%- if one_branch %}
        when {{ relation }}.reject_rule is not null then 'rejected'
        {%- endif %}
        when {{ relation }}.{{ loaded_at }} < latest_loads.latest_loaded_at then 'duplicate'
        {%- if deleted %}
        when {{ deleted }} then 'deleted'
        {%- endif %}
        {%- if merged %}
        when {{ merged }} then 'merged'
        {%- endif %}
        else 'staged'
    end as row_disposition,
    {{ relation + '.reject_rule is not null' if one_branch else 'false' }} as is_rejected
from {{ relation }}
left join (
    select
        {{ keys | join(', ') }},
        max({{ loaded_at }}) as latest_loaded_at
    from {{ relation }}
    where reject_rule is null
    group by {{ keys | join(', ') }}
) as latest_loads
    on
    {%- for k in keys %}
        {% if not loop.first %}and {% endif %}{{ relation }}.{{ k }} = latest_loads.{{ k }}
    {%- endfor %}
{%- if not one_branch %}
where {{ relation }}.reject_rule is null
{%- endif %}
{%- endmacro %}

{#- A CTE read more than once that the engine must inline rather than materialise (see
    select_with_row_disposition). Postgres 12+ and DuckDB know the hint; Spark inlines anyway. -#}
{% macro not_materialized() -%}
    {{ 'not materialized' if target.type in ('duckdb', 'postgres') else '' }}
{%- endmacro %}
