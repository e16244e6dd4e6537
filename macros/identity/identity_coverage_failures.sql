{#- The body of a singular test that a source table's staged ids each appear exactly once in
    dim_customer_identities: returns every id that is staged but missing, listed more than once,
    or listed without being staged. `staged_ids` is a query with one column, source_id. -#}
{% macro identity_coverage_failures(source_table, staged_ids) -%}
with staged as (
    select distinct cast(source_id as {{ dbt.type_string() }}) as source_id
    from ({{ staged_ids }}) as staged_ids
    where source_id is not null
),

identities as (
    select
        source_id,
        count(*) as identity_rows
    from {{ ref('dim_customer_identities') }}
    where source_table = '{{ source_table }}'
    group by source_id
),

failures as (
    select
        coalesce(staged.source_id, identities.source_id) as source_id,
        case
            when identities.source_id is null then 'staged id missing from dim_customer_identities'
            when staged.source_id is null then 'id in dim_customer_identities is not staged'
            else 'id listed more than once'
        end as failure
    from staged
    full outer join identities
        on staged.source_id = identities.source_id
    where identities.source_id is null or staged.source_id is null or identities.identity_rows <> 1
)

select * from failures
{%- endmacro %}
