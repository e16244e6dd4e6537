-- Every Stripe customer with a subscription has a customer-360 id in dim_customer_identities, so
-- no MRR is lost on the way from billing customers to customers. Returns the ones without.
with stripe_mrr as (
    select distinct stripe_customer_id from {{ ref('int_stripe_customer_mrr_monthly') }}
),

identities as (
    select * from {{ ref('dim_customer_identities') }}
    where source_table = 'raw_stripe.customer'
)

select stripe_mrr.stripe_customer_id
from stripe_mrr
left join identities on stripe_mrr.stripe_customer_id = identities.source_id
where identities.customer_id is null
