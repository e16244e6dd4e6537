-- The lifecycle facts of each customer-360 customer as of the warehouse's today (int_as_of), one
-- row per customer, and the stage they put it in (kpi-definitions.md section 6), the highest
-- that holds:
--   customer          a Stripe subscription whose status in force at as-of is active or past_due
--   churned_customer  had such a subscription before, has none now
--   opportunity       has a Salesforce opportunity (created before as-of) on one of its accounts
--   sales_qualified   one of its leads reached a status of var sql_statuses (lead history)
--   marketing_qualified  one of its leads reached a status of var mql_statuses or a score of at
--                     least var mql_score_threshold (lead history)
--   lead              anything else
-- A later stage implies the earlier ones, as in the funnel. first_paid_at is the customer's first
-- succeeded charge with a positive amount.

with identities as {{ not_materialized() }} (
    select * from {{ ref('int_identity_records_resolved') }}
),

subscription_history as (
    select * from {{ ref('stg_stripe__subscription_history') }}
),

charges as (
    select * from {{ ref('stg_stripe__charges') }}
),

opportunities as (
    select * from {{ ref('stg_salesforce__opportunities') }}
),

lead_history as (
    select * from {{ ref('stg_salesforce__lead_history') }}
),

as_of as {{ not_materialized() }} (
    select * from {{ ref('int_as_of') }}
),

customers as (
    select distinct customer_id from identities
),

member_stripe_customers as (
    select
        customer_id,
        source_id as stripe_customer_id
    from identities
    where source_table = 'raw_stripe.customer'
),

member_accounts as (
    select
        customer_id,
        source_id as account_id
    from identities
    where source_table = 'raw_salesforce.account'
),

member_leads as (
    select
        customer_id,
        source_id as lead_id
    from identities
    where source_table = 'raw_salesforce.lead'
),

paying_versions as (
    select
        member_stripe_customers.customer_id,
        subscription_history.valid_from,
        subscription_history.valid_to,
        subscription_history.ended_at
    from subscription_history
    inner join member_stripe_customers
        on subscription_history.customer_id = member_stripe_customers.stripe_customer_id
    cross join as_of
    where
        subscription_history.subscription_status in ('active', 'past_due')
        and subscription_history.valid_from < as_of.as_of_at
),

subscription_facts as (
    select
        paying_versions.customer_id,
        max(
            case
                when
                    (paying_versions.valid_to is null or paying_versions.valid_to >= as_of.as_of_at)
                    and (paying_versions.ended_at is null or paying_versions.ended_at >= as_of.as_of_at)
                    then 1
                else 0
            end
        ) as has_paying_subscription_now
    from paying_versions
    cross join as_of
    group by paying_versions.customer_id
),

payment_facts as (
    select
        member_stripe_customers.customer_id,
        min(charges.created_at) as first_paid_at
    from charges
    inner join member_stripe_customers
        on charges.customer_id = member_stripe_customers.stripe_customer_id
    cross join as_of
    where charges.charge_status = 'succeeded' and charges.amount > 0 and charges.created_at < as_of.as_of_at
    group by member_stripe_customers.customer_id
),

opportunity_facts as (
    select distinct member_accounts.customer_id
    from opportunities
    inner join member_accounts
        on opportunities.account_id = member_accounts.account_id
    cross join as_of
    where opportunities.created_at < as_of.as_of_at
),

lead_facts as (
    select
        member_leads.customer_id,
        max(
            case
                when lead_history.new_status in ('{{ var("sql_statuses") | join("', '") }}') then 1 else 0
            end
        ) as reached_sql,
        max(
            case
                when lead_history.new_status in ('{{ var("mql_statuses") | join("', '") }}') then 1
                when lead_history.new_lead_score >= {{ var('mql_score_threshold') }} then 1
                else 0
            end
        ) as reached_mql
    from lead_history
    inner join member_leads
        on lead_history.lead_id = member_leads.lead_id
    cross join as_of
    where lead_history.valid_from < as_of.as_of_at
    group by member_leads.customer_id
),

final as (
    select
        -- ids
        customers.customer_id,

        -- strings
        case
            when subscription_facts.has_paying_subscription_now = 1 then 'customer'
            when subscription_facts.customer_id is not null then 'churned_customer'
            when opportunity_facts.customer_id is not null then 'opportunity'
            when lead_facts.reached_sql = 1 then 'sales_qualified'
            when lead_facts.reached_mql = 1 then 'marketing_qualified'
            else 'lead'
        end as lifecycle_stage,

        -- booleans
        coalesce(subscription_facts.has_paying_subscription_now = 1, false) as is_current_customer,
        subscription_facts.customer_id is not null as has_ever_paid_subscription,
        opportunity_facts.customer_id is not null as has_opportunity,
        coalesce(lead_facts.reached_sql = 1, false) as has_sales_qualified_lead,
        coalesce(lead_facts.reached_mql = 1, false) as has_marketing_qualified_lead,

        -- timestamps
        payment_facts.first_paid_at
    from customers
    left join subscription_facts
        on customers.customer_id = subscription_facts.customer_id
    left join payment_facts
        on customers.customer_id = payment_facts.customer_id
    left join opportunity_facts
        on customers.customer_id = opportunity_facts.customer_id
    left join lead_facts
        on customers.customer_id = lead_facts.customer_id
)

select * from final
