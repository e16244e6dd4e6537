-- Every staged Salesforce account appears exactly once in dim_customer_identities, and nothing else
-- under raw_salesforce.account.
{% set staged_ids %}
    select account_id as source_id from {{ ref('stg_salesforce__accounts') }}
{% endset %}
{{ identity_coverage_failures('raw_salesforce.account', staged_ids) }}
