-- The connected components of the links of steps 1 to 3 (external ids, emails and company
-- domains, exact company names): the record groups that the name-similarity step compares. A group
-- without a company domain may join its most similar name (int_identity_similar_name_links_matched).
-- The components of steps 1-2 (int_identity_email_components_labelled) merged by the name links.

with email_components as (
    select * from {{ ref('int_identity_email_components_labelled') }}
),

name_links as (
    select * from {{ ref('int_identity_name_links_matched') }}
),

{{ merged_components_ctes('email_components', 'name_links', var('identity_propagation_rounds')) }},

final as (
    select
        record_key,
        component_key
    from merged_components
)

select * from final
