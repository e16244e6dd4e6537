-- The connected components of the links of steps 1 to 3 (external ids, emails and company
-- domains, exact company names): the record groups that the name-similarity step compares. A group
-- without a company domain may join its most similar name (int_identity_similar_name_links_matched).

with records as (
    select * from {{ ref('int_identity_records_unioned') }}
),

external_id_links as (
    select * from {{ ref('int_identity_external_id_links_matched') }}
),

email_links as (
    select * from {{ ref('int_identity_email_links_matched') }}
),

name_links as (
    select * from {{ ref('int_identity_name_links_matched') }}
),

links as (
    select
        from_record_key,
        to_record_key
    from external_id_links
    union all
    select
        from_record_key,
        to_record_key
    from email_links
    union all
    select
        from_record_key,
        to_record_key
    from name_links
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

final as (
    select
        node_key as record_key,
        component_key
    from components
)

select * from final
