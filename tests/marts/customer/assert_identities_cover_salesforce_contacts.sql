-- Every staged Salesforce contact appears exactly once in dim_customer_identities, and nothing else
-- under raw_salesforce.contact.
{% set staged_ids %}
    select contact_id as source_id from {{ ref('stg_salesforce__contacts') }}
{% endset %}
{{ identity_coverage_failures('raw_salesforce.contact', staged_ids) }}
