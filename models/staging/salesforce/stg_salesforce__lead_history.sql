-- A table on Spark too, where staging models are views: its tests and the lead funnel read it a dozen
-- times, and as a view each read re-ran both windows (de-duplication, then validity ranges) over every
-- raw row: 29 s of data tests at scale 10, against about 10 s to build it once.
{{ config(materialized='table') }}

-- One row per change of a tracked lead field, as a validity range of the new value: a value holds
-- from its change (valid_from) until the next change of the same field of the same lead
-- (valid_to, null while it is the lead's current value).
with base as (
    select * from {{ ref('base_salesforce__lead_history') }}
    where row_disposition = 'staged'
),

renamed as (
    select
        -- ids
        id as lead_history_id,
        lead_id,

        -- strings
        {{ clean_text('field') }} as field_name,
        {{ clean_text('old_value') }} as old_value,
        {{ clean_text('new_value') }} as new_value,

        -- timestamps
        {{ iso_to_utc('created_date') }} as valid_from,
        _fivetran_synced as loaded_at
    from base
),

ranged as (
    select
        *,
        lead(valid_from) over (
            partition by lead_id, field_name
            order by valid_from, lead_history_id
        ) as valid_to
    from renamed
),

final as (
    select
        -- ids
        lead_history_id,
        lead_id,
        case when field_name = 'Owner' then old_value end as old_owner_user_id,
        case when field_name = 'Owner' then new_value end as new_owner_user_id,

        -- strings
        field_name,
        old_value,
        new_value,
        case when field_name = 'Status' then old_value end as old_status,
        case when field_name = 'Status' then new_value end as new_status,

        -- numerics
        case
            when field_name = 'lead_score_c'
                then {{ dbt.safe_cast('old_value', api.Column.translate_type('integer')) }}
        end as old_lead_score,
        case
            when field_name = 'lead_score_c'
                then {{ dbt.safe_cast('new_value', api.Column.translate_type('integer')) }}
        end as new_lead_score,

        -- booleans
        valid_to is null as is_current,

        -- timestamps
        valid_from,
        valid_to,
        loaded_at
    from ranged
)

select * from final
