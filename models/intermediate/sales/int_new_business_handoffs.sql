-- Order-to-cash hand-off of every closed-won New Business opportunity, one row per opportunity:
-- whether its customer (customer-360 customer_id of its account) has a Stripe subscription
-- starting within 1 day of the close date (whole calendar days between the close date and the
-- subscription's UTC start date, -1 to +1, both ends included): then the hand-off was automated;
-- otherwise it was manual or late ('late' when the first subscription starting after the window
-- opened came later, 'missing' when there is none, 'unmatched_customer' when the account resolves
-- to no customer). Days from close to the customer's first invoice (created) and first payment
-- (an invoice's paid_at) count the first ones on or after the day before the close date, the
-- window's first day, in whole calendar days.
with opportunities as (
    select * from {{ ref('int_opportunities_enriched') }}
    where is_won and opportunity_type = 'New Business'
),

accounts as (
    select * from {{ ref('stg_salesforce__accounts') }}
),

subscription_history as (
    select * from {{ ref('stg_stripe__subscription_history') }}
),

invoices as (
    select * from {{ ref('stg_stripe__invoices') }}
),

identities as {{ not_materialized() }} (
    select * from {{ ref('dim_customer_identities') }}
),

stripe_customers as (
    select
        source_id as stripe_customer_id,
        customer_id
    from identities
    where source_table = 'raw_stripe.customer'
),

subscriptions as (
    select
        stripe_customers.customer_id,
        subscription_history.subscription_id,
        min(subscription_history.started_at) as started_at
    from subscription_history
    inner join stripe_customers on subscription_history.customer_id = stripe_customers.stripe_customer_id
    group by
        stripe_customers.customer_id,
        subscription_history.subscription_id
),

customer_invoices as (
    select
        stripe_customers.customer_id,
        invoices.created_at,
        invoices.paid_at
    from invoices
    inner join stripe_customers on invoices.customer_id = stripe_customers.stripe_customer_id
),

won as (
    select
        opportunities.*,
        accounts.account_name,
        identities.customer_id,
        cast({{ dbt.dateadd('day', -1, 'opportunities.close_date') }} as date) as window_start_date
    from opportunities
    left join accounts on opportunities.account_id = accounts.account_id
    left join identities
        on
            identities.source_table = 'raw_salesforce.account'
            and opportunities.account_id = identities.source_id
),

first_subscriptions as (
    select
        won.opportunity_id,
        min(subscriptions.started_at) as first_subscription_started_at
    from won
    inner join subscriptions
        on
            won.customer_id = subscriptions.customer_id
            and cast(subscriptions.started_at as date) >= won.window_start_date
    group by won.opportunity_id
),

first_invoices as (
    select
        won.opportunity_id,
        min(customer_invoices.created_at) as first_invoice_created_at,
        min(
            case
                when cast(customer_invoices.paid_at as date) >= won.window_start_date
                    then customer_invoices.paid_at
            end
        ) as first_payment_at
    from won
    inner join customer_invoices
        on
            won.customer_id = customer_invoices.customer_id
            and cast(customer_invoices.created_at as date) >= won.window_start_date
    group by won.opportunity_id
),

measured as (
    select
        won.*,
        first_subscriptions.first_subscription_started_at,
        first_invoices.first_invoice_created_at,
        first_invoices.first_payment_at,
        {{ sales_days_between_dates('won.close_date', 'first_subscriptions.first_subscription_started_at') }}
            as close_to_subscription_days,
        {{ sales_days_between_dates('won.close_date', 'first_invoices.first_invoice_created_at') }}
            as close_to_first_invoice_days,
        {{ sales_days_between_dates('won.close_date', 'first_invoices.first_payment_at') }}
            as close_to_first_payment_days
    from won
    left join first_subscriptions on won.opportunity_id = first_subscriptions.opportunity_id
    left join first_invoices on won.opportunity_id = first_invoices.opportunity_id
),

final as (
    select
        -- ids
        opportunity_id,
        account_id,
        customer_id,
        owner_user_id,

        -- strings
        opportunity_name,
        account_name,
        sales_channel,
        case
            when customer_id is null then 'unmatched_customer'
            when first_subscription_started_at is null then 'missing'
            when close_to_subscription_days <= 1 then 'automated'
            else 'late'
        end as handoff_status,

        -- booleans
        coalesce(close_to_subscription_days <= 1, false) as is_automated,

        -- numerics
        amount_reporting,
        close_to_subscription_days,
        close_to_first_invoice_days,
        close_to_first_payment_days,

        -- dates
        close_date,
        close_month,

        -- timestamps
        first_subscription_started_at,
        first_invoice_created_at,
        first_payment_at
    from measured
)

select * from final
