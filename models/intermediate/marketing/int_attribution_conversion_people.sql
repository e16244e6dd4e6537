-- The people whose touches count for each conversion, one row per conversion and person key
-- (the keys of int_marketing_touches: 'email:<address>', 'lead:<id>', 'contact:<id>'):
--   * a lead conversion: that lead (its email and its lead id);
--   * a won-opportunity conversion: every person of its account, so that expansions are credited
--     too: the account's contacts (email and contact id) and the leads converted into the account
--     (email and lead id).
with conversions as {{ not_materialized() }} (
    select * from {{ ref('int_attribution_conversions') }}
),

leads as {{ not_materialized() }} (
    select * from {{ ref('stg_salesforce__leads') }}
),

contacts as {{ not_materialized() }} (
    select * from {{ ref('stg_salesforce__contacts') }}
),

lead_people as (
    select
        conversions.conversion_key,
        {{ dbt.concat(["'email:'", "leads.email"]) }} as person_key
    from conversions
    inner join leads on conversions.lead_id = leads.lead_id
    where
        conversions.conversion_type = 'lead'
        and leads.email is not null

    union all

    select
        conversion_key,
        {{ dbt.concat(["'lead:'", "lead_id"]) }} as person_key
    from conversions
    where conversion_type = 'lead'
),

account_people as (
    select
        conversions.conversion_key,
        {{ dbt.concat(["'email:'", "contacts.email"]) }} as person_key
    from conversions
    inner join contacts on conversions.account_id = contacts.account_id
    where
        conversions.conversion_type = 'won_opportunity'
        and contacts.email is not null

    union all

    select
        conversions.conversion_key,
        {{ dbt.concat(["'contact:'", "contacts.contact_id"]) }} as person_key
    from conversions
    inner join contacts on conversions.account_id = contacts.account_id
    where conversions.conversion_type = 'won_opportunity'

    union all

    select
        conversions.conversion_key,
        {{ dbt.concat(["'email:'", "leads.email"]) }} as person_key
    from conversions
    inner join leads on conversions.account_id = leads.converted_account_id
    where
        conversions.conversion_type = 'won_opportunity'
        and leads.email is not null

    union all

    select
        conversions.conversion_key,
        {{ dbt.concat(["'lead:'", "leads.lead_id"]) }} as person_key
    from conversions
    inner join leads on conversions.account_id = leads.converted_account_id
    where conversions.conversion_type = 'won_opportunity'
),

unioned as (
    select * from lead_people
    union all
    select * from account_people
),

final as (
    select distinct
        {{ dbt.concat(["conversion_key", "'|'", "person_key"]) }} as conversion_person_key,
        conversion_key,
        person_key
    from unioned
)

select * from final
