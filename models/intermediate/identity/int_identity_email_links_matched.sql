-- Step 2 of identity resolution: links by email. Records with the same normalised email address
-- are the same person (method email); records that carry the same company domain, from an email
-- address or a website, belong to the same company (email_domain, website_domain). Personal mail
-- domains never count as a company domain (int_identity_record_domains_filtered).
-- Every group links as a star to its hub, the group's smallest record key, so a domain shared by
-- n records makes n - 1 links, never n x n.

with records as {{ not_materialized() }} (
    select * from {{ ref('int_identity_records_unioned') }}
),

record_domains as {{ not_materialized() }} (
    select * from {{ ref('int_identity_record_domains_filtered') }}
),

email_hubs as (
    select
        email_normalised,
        min(record_key) as hub_record_key
    from records
    where email_normalised is not null
    group by email_normalised
),

email_links as (
    select
        records.record_key as from_record_key,
        email_hubs.hub_record_key as to_record_key,
        'email' as match_method
    from records
    inner join email_hubs
        on records.email_normalised = email_hubs.email_normalised
),

domain_hubs as (
    select
        company_domain,
        min(record_key) as hub_record_key
    from record_domains
    group by company_domain
),

domain_links as (
    select
        record_domains.record_key as from_record_key,
        domain_hubs.hub_record_key as to_record_key,
        record_domains.domain_source as match_method
    from record_domains
    inner join domain_hubs
        on record_domains.company_domain = domain_hubs.company_domain
),

all_links as (
    select * from email_links
    union all
    select * from domain_links
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
