-- Step 1 of identity resolution: links made by exact external ids, confidence 1. Each link goes
-- from a record to the record it names. A link to a record that is not staged (a Stripe customer
-- pointing at a deleted Salesforce account, a contact of a rejected account) adds nothing: both
-- ends must be identity records.

with records as {{ not_materialized() }} (
    select * from {{ ref('int_identity_records_unioned') }}
),

accounts as (
    select * from {{ ref('stg_salesforce__accounts') }}
),

contacts as (
    select * from {{ ref('stg_salesforce__contacts') }}
),

leads as {{ not_materialized() }} (
    select * from {{ ref('stg_salesforce__leads') }}
),

stripe_customers as (
    select * from {{ ref('stg_stripe__customers') }}
),

hubspot_contacts as (
    select * from {{ ref('stg_hubspot__contacts') }}
),

web_identifies as (
    select * from {{ ref('stg_web__identifies') }}
),

merged_hubspot_ids as (
    {{ list_to_rows('hubspot_contacts', 'contact_id', 'merged_contact_ids') }}
),

-- The person record an identified email belongs to: the smallest record key with that exact
-- address (the email step links the others), so one busy address cannot fan out.
person_emails as (
    select
        email,
        min(record_key) as record_key
    from records
    where record_kind = 'person' and source_table <> 'raw_web.identifies' and email is not null
    group by email
),

web_user_emails as (
    select distinct
        user_id,
        email
    from web_identifies
    where user_id is not null and email is not null
),

id_references as (
    select
        'raw_stripe.customer' as from_source_table,
        customer_id as from_source_id,
        'raw_salesforce.account' as to_source_table,
        salesforce_account_id as to_source_id,
        'stripe_metadata_sf_account_id' as match_method
    from stripe_customers
    where salesforce_account_id is not null

    union all

    select
        'raw_salesforce.account' as from_source_table,
        account_id as from_source_id,
        'raw_stripe.customer' as to_source_table,
        stripe_customer_id as to_source_id,
        'salesforce_account_stripe_customer_id' as match_method
    from accounts
    where stripe_customer_id is not null

    union all

    select
        'raw_salesforce.contact' as from_source_table,
        contact_id as from_source_id,
        'raw_salesforce.account' as to_source_table,
        account_id as to_source_id,
        'salesforce_contact_account_id' as match_method
    from contacts
    where account_id is not null

    union all

    select
        'raw_salesforce.lead' as from_source_table,
        lead_id as from_source_id,
        'raw_salesforce.account' as to_source_table,
        converted_account_id as to_source_id,
        'salesforce_lead_converted_account_id' as match_method
    from leads
    where converted_account_id is not null

    union all

    select
        'raw_salesforce.lead' as from_source_table,
        lead_id as from_source_id,
        'raw_salesforce.contact' as to_source_table,
        converted_contact_id as to_source_id,
        'salesforce_lead_converted_contact_id' as match_method
    from leads
    where converted_contact_id is not null

    union all

    select
        'raw_hubspot.contact' as from_source_table,
        listed_id as from_source_id,
        'raw_hubspot.contact' as to_source_table,
        id as to_source_id,
        'hubspot_merged_contact_id' as match_method
    from merged_hubspot_ids
),

id_links as (
    select
        from_records.record_key as from_record_key,
        to_records.record_key as to_record_key,
        id_references.match_method
    from id_references
    inner join records as from_records
        on
            id_references.from_source_table = from_records.source_table
            and id_references.from_source_id = from_records.source_id
    inner join records as to_records
        on
            id_references.to_source_table = to_records.source_table
            and id_references.to_source_id = to_records.source_id
),

web_links as (
    select
        web_records.record_key as from_record_key,
        person_emails.record_key as to_record_key,
        'web_identify_email' as match_method
    from web_user_emails
    inner join records as web_records
        on
            web_records.source_table = 'raw_web.identifies'
            and web_user_emails.user_id = web_records.source_id
    inner join person_emails
        on web_user_emails.email = person_emails.email
),

all_links as (
    select * from id_links
    union all
    select * from web_links
),

final as (
    select distinct
        from_record_key,
        to_record_key,
        match_method
    from all_links
    where from_record_key <> to_record_key
)

select * from final
