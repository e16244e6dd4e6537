-- The connected components of every identity link (int_identity_links_unioned): one row per
-- identity record with its component's anchor (the smallest record key of the component) and its
-- distance from the anchor in links, which tells which of its links lead towards the anchor.

with records as (
    select * from {{ ref('int_identity_records_unioned') }}
),

links as (
    select * from {{ ref('int_identity_links_unioned') }}
),

nodes as (
    select record_key as node_key from records
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

{{ connected_components_ctes('nodes', 'edges', var('identity_propagation_rounds')) }},

anchored_nodes as (
    select
        node_key,
        node_key = component_key as is_anchor
    from components
),

{{ anchor_distance_ctes('anchored_nodes', 'edges', var('identity_propagation_rounds')) }},

final as (
    select
        components.node_key as record_key,
        components.component_key,
        anchor_distances.anchor_distance
    from components
    inner join anchor_distances
        on components.node_key = anchor_distances.node_key
)

select * from final
