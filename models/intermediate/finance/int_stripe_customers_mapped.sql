-- One row per Stripe (billing) customer: the customer-360 customer_id it resolves to
-- (dim_customer_identities, source_table 'raw_stripe.customer') and the sales channel its billing
-- figures are split by: dim_customers.sales_channel, else the channel in the Stripe customer's
-- metadata, else that of its latest subscription's metadata, else 'unknown'.
with stripe_customers as (
    select * from {{ ref('stg_stripe__customers') }}
),

subscription_history as (
    select * from {{ ref('stg_stripe__subscription_history') }}
),

identities as (
    select * from {{ ref('dim_customer_identities') }}
),

customers as (
    select * from {{ ref('dim_customers') }}
),

subscription_channels as (
    select
        customer_id as stripe_customer_id,
        sales_channel,
        row_number() over (
            partition by customer_id
            order by created_at desc, valid_from desc, subscription_id desc
        ) as recency_rank
    from subscription_history
    where sales_channel is not null
),

final as (
    select
        -- ids
        stripe_customers.customer_id as stripe_customer_id,
        identities.customer_id,

        -- strings
        stripe_customers.currency_code,
        coalesce(
            customers.sales_channel,
            stripe_customers.sales_channel,
            subscription_channels.sales_channel,
            'unknown'
        ) as sales_channel
    from stripe_customers
    left join identities
        on
            identities.source_table = 'raw_stripe.customer'
            and stripe_customers.customer_id = identities.source_id
    left join customers
        on identities.customer_id = customers.customer_id
    left join subscription_channels
        on
            stripe_customers.customer_id = subscription_channels.stripe_customer_id
            and subscription_channels.recency_rank = 1
)

select * from final
