-- The company domains each identity record carries: the domain of its email address and its
-- website's domain, without the free and consumer mail providers of the personal_email_domains
-- seed (an address at gmail.com says nothing about the company the person works for).
with records as {{ not_materialized() }} (
    select * from {{ ref('int_identity_records_unioned') }}
),

personal_email_domains as (
    select * from {{ ref('personal_email_domains') }}
),

record_domains as (
    select
        record_key,
        email_domain as company_domain,
        'email_domain' as domain_source
    from records
    where email_domain is not null

    union all

    select
        record_key,
        website_domain as company_domain,
        'website_domain' as domain_source
    from records
    where website_domain is not null
),

final as (
    select distinct
        record_domains.record_key,
        record_domains.company_domain,
        record_domains.domain_source
    from record_domains
    left join personal_email_domains
        on record_domains.company_domain = personal_email_domains.email_domain
    where personal_email_domains.email_domain is null
)

select * from final
