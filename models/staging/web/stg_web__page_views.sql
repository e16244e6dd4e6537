-- A table, unlike most staging models: one of the largest raw tables
-- (79 M page views at scale 100), read by a dozen tests and by its children. As a view every one
-- of those reads re-ran the de-duplication over every raw row; as a table it runs once.
{{ config(materialized='table') }}

with base as (
    select * from {{ ref('base_web__pages') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as page_view_id,
        anonymous_id,
        user_id,

        -- strings
        nullif(trim(context_page_url), '') as page_url,
        nullif(trim(context_page_path), '') as page_path,
        nullif(trim(context_page_referrer), '') as referrer,
        {{ clean_domain('context_page_referrer') }} as referrer_host,
        {{ clean_enum('context_campaign_source') }} as utm_source,
        {{ clean_enum('context_campaign_medium') }} as utm_medium,
        {{ clean_enum('context_campaign_name') }} as utm_campaign,
        {{ clean_enum('context_campaign_content') }} as utm_content,
        {{ clean_enum('context_campaign_term') }} as utm_term,
        nullif(trim(context_ip), '') as ip,
        nullif(trim(context_user_agent), '') as user_agent,

        -- timestamps
        {{ iso_to_utc(adapter.quote('timestamp')) }} as viewed_at,
        received_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
