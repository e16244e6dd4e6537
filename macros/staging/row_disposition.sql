{#- What staging does with each raw row, exactly one of:
    rejected  - it broke a rule (`reject_rule` is not null); it goes to the source's rejects model
    duplicate - an older load of a record that a later load supersedes (a re-sync)
    deleted   - the record's latest load says it was deleted at the source
    merged    - the record was merged into another one at the source (HubSpot contact merges)
    staged    - the row the staging model keeps
    Ranking only among rows that passed the rules, so a broken copy never hides a good one: the
    window is partitioned by the rule too (rejected rows are 'rejected' whatever their rank), and
    being a partition column lets an engine apply a filter on `reject_rule` before the window, so
    the rejects models never rank every raw row (at scale 100 stg_hubspot__rejects ran out of
    DuckDB's 16 GB ranking 60 M email events it then dropped).
    `key` is the record's key (a list for composite keys), `loaded_at` orders the loads. -#}
{% macro row_disposition(key, loaded_at='_fivetran_synced', deleted=none, merged=none) -%}
    {%- set keys = key if key is iterable and key is not string else [key] -%}
    case
        when reject_rule is not null then 'rejected'
        when row_number() over (
            partition by {{ keys | join(', ') }}, reject_rule
            order by {{ loaded_at }} desc
        ) > 1 then 'duplicate'
        {%- if deleted %}
        when {{ deleted }} then 'deleted'
        {%- endif %}
        {%- if merged %}
        when {{ merged }} then 'merged'
        {%- endif %}
        else 'staged'
    end
{%- endmacro %}
