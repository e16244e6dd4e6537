-- Conversions of the contact success rate, one row per converted prospect: a call with
-- disposition 'Meeting Booked', or an opportunity created from the rep's lead (the lead converted
-- with an opportunity; the rep is the lead's owner). A lead that first books a meeting and later
-- converts into an opportunity is one prospect converted, not two: each lead counts once, at its
-- first conversion event, credited to the rep of that event. The meeting-booked call wins over a
-- conversion on the same day (a converted date has no time). A meeting booked on a call with a
-- contact (no lead) counts once per call.
with tasks as (
    select * from {{ ref('stg_salesforce__tasks') }}
),

leads as (
    select * from {{ ref('stg_salesforce__leads') }}
),

conversion_events as (
    select
        task_id as conversion_event_id,
        coalesce(lead_id, task_id) as prospect_key,
        lead_id,
        owner_user_id,
        'meeting_booked' as conversion_type,
        created_at as converted_at
    from tasks
    where
        task_type = 'Call'
        and call_disposition = 'Meeting Booked'

    union all

    select
        converted_opportunity_id as conversion_event_id,
        lead_id as prospect_key,
        lead_id,
        owner_user_id,
        'opportunity_created' as conversion_type,
        cast(converted_date as timestamp) as converted_at
    from leads
    where
        converted_opportunity_id is not null
        and converted_date is not null
),

ranked as (
    select
        *,
        row_number() over (
            partition by prospect_key
            order by cast(converted_at as date), conversion_type, converted_at, conversion_event_id
        ) as event_rank
    from conversion_events
),

final as (
    select
        prospect_key as rep_conversion_id,
        lead_id,
        conversion_event_id,
        owner_user_id,
        conversion_type,
        converted_at,
        cast({{ dbt.date_trunc('month', 'converted_at') }} as date) as month
    from ranked
    where event_rank = 1
)

select * from final
