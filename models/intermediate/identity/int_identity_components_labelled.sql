-- The connected components of every identity link (int_identity_links_unioned): one row per
-- identity record with its component's anchor (the smallest record key of the component) and its
-- distance from the anchor in links, which tells which of its links lead towards the anchor.
-- The components of steps 1-3 (int_identity_name_components_labelled) merged by the
-- name-similarity links; the distances over every link.

with name_components as (
    select * from {{ ref('int_identity_name_components_labelled') }}
),

similar_name_links as (
    select * from {{ ref('int_identity_similar_name_links_matched') }}
),

links as {{ not_materialized() }} (
    select * from {{ ref('int_identity_links_unioned') }}
),

{{ merged_components_ctes('name_components', 'similar_name_links', var('identity_propagation_rounds')) }},

anchored_nodes as (
    select
        record_key as node_key,
        record_key = component_key as is_anchor
    from merged_components
),

edges as (
    select
        from_record_key as node_key,
        to_record_key as neighbour_key
    from links
    union all
    select
        to_record_key as node_key,
        from_record_key as neighbour_key
    from links
),

{{ anchor_distance_ctes('anchored_nodes', 'edges', var('identity_propagation_rounds')) }},

final as (
    select
        merged_components.record_key,
        merged_components.component_key,
        anchor_distances.anchor_distance
    from merged_components
    inner join anchor_distances
        on merged_components.record_key = anchor_distances.node_key
)

select * from final
