-- Step 3 of identity resolution: links by the same normalised company name (lower case,
-- punctuation and legal suffixes dropped). A name is evidence only when it is distinctive:
-- - it does not start with an initialism ('OCV Ventures' stands for several companies), and
-- - the record groups of steps 1-2 that carry it do not disagree on the company: every group that
--   carries a company domain carries one common domain. 'Polar Labs' on records of polarlabs.com
--   and of polarlabs.de names two companies, and joins neither.
-- The records of a usable name link as a star to its hub, the smallest record key with the name.

with records as (
    select * from {{ ref('int_identity_records_unioned') }}
),

record_domains as (
    select * from {{ ref('int_identity_record_domains_filtered') }}
),

components as {{ not_materialized() }} (
    select * from {{ ref('int_identity_email_components_labelled') }}
),

named_records as (
    select
        records.record_key,
        records.company_name_normalised,
        components.component_key
    from records
    inner join components
        on records.record_key = components.record_key
    where records.company_name_normalised is not null and not records.has_initialism_name
),

component_domains as (
    select distinct
        components.component_key,
        record_domains.company_domain
    from record_domains
    inner join components
        on record_domains.record_key = components.record_key
),

name_components as (
    select distinct
        company_name_normalised,
        component_key
    from named_records
),

-- Per name: how many of its groups carry a company domain, and how many of them carry each domain.
name_domain_groups as (
    select
        name_components.company_name_normalised,
        component_domains.company_domain,
        count(distinct name_components.component_key) as groups_with_domain
    from name_components
    inner join component_domains
        on name_components.component_key = component_domains.component_key
    group by name_components.company_name_normalised, component_domains.company_domain
),

name_domain_bearing_groups as (
    select
        name_components.company_name_normalised,
        count(distinct name_components.component_key) as domain_bearing_groups
    from name_components
    where name_components.component_key in (select component_domains.component_key from component_domains)
    group by name_components.company_name_normalised
),

ambiguous_names as (
    select name_domain_bearing_groups.company_name_normalised
    from name_domain_bearing_groups
    inner join name_domain_groups
        on name_domain_bearing_groups.company_name_normalised = name_domain_groups.company_name_normalised
    group by
        name_domain_bearing_groups.company_name_normalised,
        name_domain_bearing_groups.domain_bearing_groups
    having max(name_domain_groups.groups_with_domain) < name_domain_bearing_groups.domain_bearing_groups
),

usable_named_records as (
    select named_records.*
    from named_records
    left join ambiguous_names
        on named_records.company_name_normalised = ambiguous_names.company_name_normalised
    where ambiguous_names.company_name_normalised is null
),

name_hubs as (
    select
        company_name_normalised,
        min(record_key) as hub_record_key
    from usable_named_records
    group by company_name_normalised
),

final as (
    select
        usable_named_records.record_key as from_record_key,
        name_hubs.hub_record_key as to_record_key,
        'company_name' as match_method
    from usable_named_records
    inner join name_hubs
        on usable_named_records.company_name_normalised = name_hubs.company_name_normalised
    where usable_named_records.record_key <> name_hubs.hub_record_key
)

select * from final
