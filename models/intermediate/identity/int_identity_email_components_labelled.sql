-- The connected components of the links of steps 1 and 2 (external ids, emails and company
-- domains): the record groups that the company-name steps compare. A group's company domains
-- decide whether a name may join it (int_identity_name_links_matched).

with records as (
    select * from {{ ref('int_identity_records_unioned') }}
),

external_id_links as (
    select * from {{ ref('int_identity_external_id_links_matched') }}
),

email_links as (
    select * from {{ ref('int_identity_email_links_matched') }}
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
