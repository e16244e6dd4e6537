-- A table, unlike most staging models: one of the largest raw tables
-- (60 M email events at scale 100), read by a dozen tests and by its children. As a view every one
-- of those reads re-ran the de-duplication over every raw row; as a table it runs once.
{{ config(materialized='table') }}

with base as (
    select * from {{ ref('base_hubspot__email_event') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as email_event_id,
        email_campaign_id,

        -- strings
        upper({{ clean_text('type') }}) as event_type,
        {{ clean_email('recipient') }} as recipient_email,
        {{ email_domain('recipient') }} as recipient_email_domain,
        nullif(trim(url), '') as clicked_url,

        -- timestamps
        {{ epoch_ms_to_utc('created') }} as occurred_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
