-- Every staged Stripe customer appears exactly once in dim_customer_identities, and nothing else
-- under raw_stripe.customer.
{% set staged_ids %}
    select customer_id as source_id from {{ ref('stg_stripe__customers') }}
{% endset %}
{{ identity_coverage_failures('raw_stripe.customer', staged_ids) }}
