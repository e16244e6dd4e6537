-- Every identity record with its customer. customer_id is a hash of the customer's anchor (the
-- smallest record key of its connected component: a Salesforce account whenever the customer has
-- one), so it is deterministic and stays the same as long as the anchor record does.
-- How a record joined its customer (match_method, match_confidence, matched_record_key) is the
-- strongest of its links that lead one step closer to the anchor (highest confidence, then the
-- method's strength rank, then the smallest record key); the anchor's method is 'anchor'.
{{ config(materialized='table', pre_hook="{{ follow_written_join_order() }}") }}

with records as (
    select * from {{ ref('int_identity_records_unioned') }}
),

components as {{ not_materialized() }} (
    select * from {{ ref('int_identity_components_labelled') }}
),

links as {{ not_materialized() }} (
    select * from {{ ref('int_identity_links_unioned') }}
),

record_links as (
    select
        from_record_key as record_key,
        to_record_key as matched_record_key,
        match_method,
        match_confidence,
        strength_rank
    from links
    union all
    select
        to_record_key as record_key,
        from_record_key as matched_record_key,
        match_method,
        match_confidence,
        strength_rank
    from links
),

links_towards_anchor as (
    select
        record_links.*,
        row_number() over (
            partition by record_links.record_key
            order by
                record_links.match_confidence desc,
                record_links.strength_rank asc,
                record_links.matched_record_key asc
        ) as link_rank
    from record_links
    inner join components as record_components
        on record_links.record_key = record_components.record_key
    inner join components as matched_components
        on record_links.matched_record_key = matched_components.record_key
    where matched_components.anchor_distance = record_components.anchor_distance - 1
),

final as (
    select
        -- ids
        records.record_key,
        {{ dbt.hash('components.component_key') }} as customer_id,
        components.component_key as anchor_record_key,
        records.source_table,
        records.source_id,
        links_towards_anchor.matched_record_key,

        -- strings
        records.source_system,
        records.record_kind,
        case
            when components.anchor_distance = 0 then 'anchor'
            else links_towards_anchor.match_method
        end as match_method,

        -- numerics
        case
            when components.anchor_distance = 0 then cast(1 as decimal(4, 3))
            else links_towards_anchor.match_confidence
        end as match_confidence,
        components.anchor_distance,

        -- booleans
        components.anchor_distance = 0 as is_anchor
    from records
    inner join components
        on records.record_key = components.record_key
    left join links_towards_anchor
        on records.record_key = links_towards_anchor.record_key and links_towards_anchor.link_rank = 1
)

select * from final
