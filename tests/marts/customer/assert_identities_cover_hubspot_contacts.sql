-- Every staged HubSpot contact, and every contact id HubSpot merged into a staged contact (listed in
-- its merged_contact_ids), appears exactly once in dim_customer_identities, and nothing else under
-- raw_hubspot.contact.
{% set staged_ids %}
    select contact_id as source_id from {{ ref('stg_hubspot__contacts') }}
    union all
    select merged_ids.listed_id as source_id
    from ({{ list_to_rows(ref('stg_hubspot__contacts'), 'contact_id', 'merged_contact_ids') }}) as merged_ids
{% endset %}
{{ identity_coverage_failures('raw_hubspot.contact', staged_ids) }}
