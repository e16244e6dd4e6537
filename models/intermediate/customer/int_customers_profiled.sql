-- The descriptive attributes of each customer-360 customer, one row per customer, chosen from its
-- member records:
-- - primary Salesforce account: the member account with the smallest record key (the customer's
--   anchor whenever it has an account); owner, employee count and industry come from it (employee
--   count and industry from another member account when it has none);
-- - primary Stripe customer: the one the primary account names (stripe_customer_id_c), else one
--   whose metadata names the primary account, else the earliest created; billing currency from it;
-- - name: the primary account's name, else another member account's, else the primary Stripe
--   customer's, else another Stripe customer's, else a lead's company, else a HubSpot contact's
--   company (among records of one rank: a name that is not all upper or lower case and not an
--   initialism first, then the earliest);
-- - primary domain: the primary account's website domain, else the company domain most of its
--   records carry (personal mail domains never count);
-- - country: the primary account's billing country through the country_codes seed, else the
--   primary Stripe customer's ISO country;
-- - size band: the employee count's band in the customer_size_bands seed ('unknown' without one);
-- - sales channel: of its first won New Business opportunity, else the Stripe customer's metadata,
--   else its first subscription's metadata.

with identities as {{ not_materialized() }} (
    select * from {{ ref('int_identity_records_resolved') }}
),

records as (
    select * from {{ ref('int_identity_records_unioned') }}
),

record_domains as (
    select * from {{ ref('int_identity_record_domains_filtered') }}
),

accounts as (
    select * from {{ ref('stg_salesforce__accounts') }}
),

stripe_customers as (
    select * from {{ ref('stg_stripe__customers') }}
),

subscription_history as (
    select * from {{ ref('stg_stripe__subscription_history') }}
),

opportunities as (
    select * from {{ ref('stg_salesforce__opportunities') }}
),

country_codes as {{ not_materialized() }} (
    select * from {{ ref('country_codes') }}
),

size_bands as (
    select * from {{ ref('customer_size_bands') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

customers as (
    select distinct customer_id from identities
),

member_accounts as (
    select
        identities.customer_id,
        identities.record_key,
        accounts.*,
        row_number() over (partition by identities.customer_id order by identities.record_key) as account_rank
    from identities
    inner join accounts
        on identities.source_table = 'raw_salesforce.account' and identities.source_id = accounts.account_id
),

primary_accounts as (
    select * from member_accounts
    where account_rank = 1
),

member_account_facts as (
    select
        customer_id,
        max(number_of_employees) as max_number_of_employees,
        min(industry) as any_industry
    from member_accounts
    group by customer_id
),

member_stripe_customers as (
    select
        identities.customer_id,
        identities.record_key,
        stripe_customers.customer_id as stripe_customer_id,
        stripe_customers.salesforce_account_id,
        stripe_customers.currency_code,
        stripe_customers.country_code,
        stripe_customers.sales_channel,
        stripe_customers.created_at
    from identities
    inner join stripe_customers
        on identities.source_table = 'raw_stripe.customer' and identities.source_id = stripe_customers.customer_id
),

ranked_stripe_customers as (
    select
        member_stripe_customers.*,
        row_number() over (
            partition by member_stripe_customers.customer_id
            order by
                case
                    when member_stripe_customers.stripe_customer_id = primary_accounts.stripe_customer_id then 0
                    when member_stripe_customers.salesforce_account_id = primary_accounts.account_id then 1
                    else 2
                end,
                member_stripe_customers.created_at,
                member_stripe_customers.record_key
        ) as stripe_rank
    from member_stripe_customers
    left join primary_accounts
        on member_stripe_customers.customer_id = primary_accounts.customer_id
),

primary_stripe_customers as (
    select * from ranked_stripe_customers
    where stripe_rank = 1
),

name_candidates as (
    select
        identities.customer_id,
        records.company_name,
        case
            when records.record_key = primary_accounts.record_key then 1
            when records.source_table = 'raw_salesforce.account' then 2
            when records.record_key = primary_stripe_customers.record_key then 3
            when records.source_table = 'raw_stripe.customer' then 4
            when records.source_table = 'raw_salesforce.lead' then 5
            else 6
        end as source_preference,
        case
            when records.company_name = upper(records.company_name) then 1
            when records.company_name = lower(records.company_name) then 1
            when records.has_initialism_name then 1
            else 0
        end as is_odd_spelling,
        records.created_at,
        records.record_key
    from identities
    inner join records
        on identities.record_key = records.record_key
    left join primary_accounts
        on identities.customer_id = primary_accounts.customer_id
    left join primary_stripe_customers
        on identities.customer_id = primary_stripe_customers.customer_id
    where
        records.source_table in (
            'raw_salesforce.account', 'raw_stripe.customer', 'raw_salesforce.lead', 'raw_hubspot.contact'
        )
        and records.company_name is not null
),

best_names as (
    select
        customer_id,
        company_name,
        row_number() over (
            partition by customer_id
            order by source_preference, is_odd_spelling, created_at, record_key
        ) as name_rank
    from name_candidates
),

domain_counts as (
    select
        identities.customer_id,
        record_domains.company_domain,
        count(distinct record_domains.record_key) as record_count
    from record_domains
    inner join identities
        on record_domains.record_key = identities.record_key
    group by identities.customer_id, record_domains.company_domain
),

ranked_domains as (
    select
        domain_counts.customer_id,
        domain_counts.company_domain,
        row_number() over (
            partition by domain_counts.customer_id
            order by
                case when domain_counts.company_domain = primary_accounts.website_domain then 0 else 1 end asc,
                domain_counts.record_count desc,
                domain_counts.company_domain asc
        ) as domain_rank
    from domain_counts
    left join primary_accounts
        on domain_counts.customer_id = primary_accounts.customer_id
),

won_new_business as (
    select
        member_accounts.customer_id,
        opportunities.sales_channel,
        row_number() over (
            partition by member_accounts.customer_id
            order by opportunities.close_date, opportunities.created_at, opportunities.opportunity_id
        ) as won_rank
    from opportunities
    inner join member_accounts
        on opportunities.account_id = member_accounts.account_id
    cross join as_of
    where
        opportunities.is_won
        and opportunities.opportunity_type = 'New Business'
        and opportunities.close_date < cast(as_of.as_of_at as date)
),

first_subscriptions as (
    select
        member_stripe_customers.customer_id,
        subscription_history.sales_channel,
        row_number() over (
            partition by member_stripe_customers.customer_id
            order by
                case when subscription_history.sales_channel is null then 1 else 0 end,
                subscription_history.created_at,
                subscription_history.subscription_id,
                subscription_history.valid_from
        ) as subscription_rank
    from subscription_history
    inner join member_stripe_customers
        on subscription_history.customer_id = member_stripe_customers.stripe_customer_id
),

final as (
    select
        -- ids
        customers.customer_id,
        primary_accounts.account_id as salesforce_account_id,
        primary_stripe_customers.stripe_customer_id,
        primary_accounts.owner_user_id,

        -- strings
        best_names.company_name as customer_name,
        ranked_domains.company_domain as primary_domain,
        coalesce(billing_countries.country_code, stripe_countries.country_code) as country_code,
        coalesce(billing_countries.region, stripe_countries.region) as region,
        coalesce(size_bands.size_band, 'unknown') as size_band,
        coalesce(primary_accounts.industry, member_account_facts.any_industry) as industry,
        replace(
            coalesce(
                won_new_business.sales_channel,
                primary_stripe_customers.sales_channel,
                first_subscriptions.sales_channel
            ),
            ' ',
            '-'
        ) as sales_channel,
        primary_stripe_customers.currency_code as billing_currency,

        -- numerics
        coalesce(primary_accounts.number_of_employees, member_account_facts.max_number_of_employees)
            as employee_count
    from customers
    left join primary_accounts
        on customers.customer_id = primary_accounts.customer_id
    left join member_account_facts
        on customers.customer_id = member_account_facts.customer_id
    left join primary_stripe_customers
        on customers.customer_id = primary_stripe_customers.customer_id
    left join best_names
        on customers.customer_id = best_names.customer_id and best_names.name_rank = 1
    left join ranked_domains
        on customers.customer_id = ranked_domains.customer_id and ranked_domains.domain_rank = 1
    left join country_codes as billing_countries
        on lower(trim(primary_accounts.billing_country)) = billing_countries.country_alias
    left join country_codes as stripe_countries
        on lower(trim(primary_stripe_customers.country_code)) = stripe_countries.country_alias
    left join size_bands
        on
            coalesce(primary_accounts.number_of_employees, member_account_facts.max_number_of_employees)
            between size_bands.min_employees and coalesce(size_bands.max_employees, 2147483647)
    left join won_new_business
        on customers.customer_id = won_new_business.customer_id and won_new_business.won_rank = 1
    left join first_subscriptions
        on customers.customer_id = first_subscriptions.customer_id and first_subscriptions.subscription_rank = 1
)

select * from final
