-- Every identified web user (a user_id of stg_web__identifies) appears exactly once in
-- dim_customer_identities, and nothing else under raw_web.identifies.
{% set staged_ids %}
    select user_id as source_id from {{ ref('stg_web__identifies') }}
{% endset %}
{{ identity_coverage_failures('raw_web.identifies', staged_ids) }}
