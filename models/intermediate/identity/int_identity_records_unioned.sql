-- Every staged source record that stands for a customer company or a person of one, in one shape:
-- Salesforce accounts, contacts and leads, Stripe customers, HubSpot contacts (with the ids HubSpot
-- merged into a staged contact, which have no attributes of their own) and identified web users.
-- The attributes identity resolution compares are normalised here once.

with accounts as (
    select * from {{ ref('stg_salesforce__accounts') }}
),

contacts as (
    select * from {{ ref('stg_salesforce__contacts') }}
),

leads as (
    select * from {{ ref('stg_salesforce__leads') }}
),

stripe_customers as (
    select * from {{ ref('stg_stripe__customers') }}
),

hubspot_contacts as {{ not_materialized() }} (
    select * from {{ ref('stg_hubspot__contacts') }}
),

web_identifies as (
    select * from {{ ref('stg_web__identifies') }}
),

merged_hubspot_ids as (
    {{ list_to_rows('hubspot_contacts', 'contact_id', 'merged_contact_ids') }}
),

-- Merged-away contacts are not staged; the survivor's list is all that is left of them.
merged_hubspot_contacts as (
    select distinct merged_hubspot_ids.listed_id as contact_id
    from merged_hubspot_ids
    left join hubspot_contacts
        on merged_hubspot_ids.listed_id = hubspot_contacts.contact_id
    where hubspot_contacts.contact_id is null
),

web_identifies_ranked as (
    select
        user_id,
        email,
        row_number() over (
            partition by user_id
            order by case when email is null then 1 else 0 end, identified_at desc, identify_id desc
        ) as recency_rank,
        min(identified_at) over (partition by user_id) as first_identified_at
    from web_identifies
    where user_id is not null
),

web_users as (
    select
        user_id,
        email,
        first_identified_at
    from web_identifies_ranked
    where recency_rank = 1
),

unioned as (
    select
        'raw_salesforce.account' as source_table,
        account_id as source_id,
        'salesforce' as source_system,
        'company' as record_kind,
        1 as anchor_precedence,
        account_name as company_name,
        cast(null as {{ dbt.type_string() }}) as email,
        website_domain,
        created_at
    from accounts

    union all

    select
        'raw_stripe.customer' as source_table,
        customer_id as source_id,
        'stripe' as source_system,
        'company' as record_kind,
        2 as anchor_precedence,
        customer_name as company_name,
        email,
        cast(null as {{ dbt.type_string() }}) as website_domain,
        created_at
    from stripe_customers

    union all

    select
        'raw_salesforce.contact' as source_table,
        contact_id as source_id,
        'salesforce' as source_system,
        'person' as record_kind,
        3 as anchor_precedence,
        cast(null as {{ dbt.type_string() }}) as company_name,
        email,
        cast(null as {{ dbt.type_string() }}) as website_domain,
        created_at
    from contacts

    union all

    select
        'raw_salesforce.lead' as source_table,
        lead_id as source_id,
        'salesforce' as source_system,
        'person' as record_kind,
        4 as anchor_precedence,
        company_name,
        email,
        website_domain,
        created_at
    from leads

    union all

    select
        'raw_hubspot.contact' as source_table,
        contact_id as source_id,
        'hubspot' as source_system,
        'person' as record_kind,
        5 as anchor_precedence,
        company_name,
        email,
        website_domain,
        created_at
    from hubspot_contacts

    union all

    select
        'raw_hubspot.contact' as source_table,
        contact_id as source_id,
        'hubspot' as source_system,
        'person' as record_kind,
        5 as anchor_precedence,
        cast(null as {{ dbt.type_string() }}) as company_name,
        cast(null as {{ dbt.type_string() }}) as email,
        cast(null as {{ dbt.type_string() }}) as website_domain,
        cast(null as {{ dbt.type_timestamp() }}) as created_at
    from merged_hubspot_contacts

    union all

    select
        'raw_web.identifies' as source_table,
        user_id as source_id,
        'web' as source_system,
        'person' as record_kind,
        6 as anchor_precedence,
        cast(null as {{ dbt.type_string() }}) as company_name,
        email,
        cast(null as {{ dbt.type_string() }}) as website_domain,
        first_identified_at as created_at
    from web_users
),

final as (
    select
        -- ids
        {{ dbt.concat([
            "cast(anchor_precedence as " ~ dbt.type_string() ~ ")", "'|'", "source_table", "'|'", "source_id"
        ]) }} as record_key,
        source_table,
        source_id,

        -- strings
        source_system,
        record_kind,
        company_name,
        {{ normalise_company_name('company_name') }} as company_name_normalised,
        email,
        {{ normalise_email('email') }} as email_normalised,
        nullif({{ dbt.split_part('email', "'@'", 2) }}, '') as email_domain,
        website_domain,

        -- numerics
        anchor_precedence,

        -- booleans
        {{ is_initialism_name('company_name') }} as has_initialism_name,

        -- timestamps
        created_at
    from unioned
)

select * from final
