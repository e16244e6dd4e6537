-- Every staged Salesforce lead appears exactly once in dim_customer_identities, and nothing else
-- under raw_salesforce.lead.
{% set staged_ids %}
    select lead_id as source_id from {{ ref('stg_salesforce__leads') }}
{% endset %}
{{ identity_coverage_failures('raw_salesforce.lead', staged_ids) }}
