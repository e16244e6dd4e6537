-- A table on Spark too, where staging models are views: one of the largest raw tables
-- (23 M tasks at scale 100), read by a dozen tests and by its children. As a view every one
-- of those reads re-ran the de-duplication over every raw row; as a table it runs once.
{{ config(materialized='table') }}

-- who_id (a lead or a contact) and what_id (an opportunity or an account) are polymorphic; the
-- Salesforce key prefix of the id tells which object each points at (00Q lead, 003 contact,
-- 006 opportunity, 001 account), so both are also split into one typed key per object.
with base as (
    select * from {{ ref('base_salesforce__task') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as task_id,
        owner_id as owner_user_id,
        who_id,
        what_id,
        case when who_id like '00Q%' then who_id end as lead_id,
        case when who_id like '003%' then who_id end as contact_id,
        case when what_id like '006%' then what_id end as opportunity_id,
        case when what_id like '001%' then what_id end as account_id,

        -- strings
        {{ clean_text('subject') }} as subject,
        {{ clean_text('type') }} as task_type,
        {{ clean_text('call_type') }} as call_type,
        {{ clean_text('call_disposition') }} as call_disposition,
        {{ clean_text('status') }} as task_status,

        -- dates
        -- a date only (no time), so speed to lead uses created_at instead
        {{ dbt.safe_cast('activity_date', api.Column.translate_type('date')) }} as activity_date,

        -- timestamps
        {{ iso_to_utc('created_date') }} as created_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
