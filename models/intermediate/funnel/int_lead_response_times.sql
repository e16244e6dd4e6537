-- Speed to lead, one row per lead: the exact time from the lead's creation to the earliest
-- created_at of a task (call, email, meeting) or event logged against it (who_id = the lead) by a
-- user. activity_date is a date without a time and is not used. A lead never touched has a null
-- first touch and counts as not answered within the hour.
with leads as (
    select * from {{ ref('stg_salesforce__leads') }}
),

tasks as (
    select * from {{ ref('stg_salesforce__tasks') }}
),

events as (
    select * from {{ ref('stg_salesforce__events') }}
),

touches as (
    select
        lead_id,
        created_at as touched_at,
        'task' as touch_kind
    from tasks
    where lead_id is not null and owner_user_id is not null

    union all

    select
        lead_id,
        created_at as touched_at,
        'event' as touch_kind
    from events
    where lead_id is not null and owner_user_id is not null
),

ranked as (
    select
        lead_id,
        touched_at,
        touch_kind,
        row_number() over (
            partition by lead_id
            order by touched_at asc, touch_kind desc
        ) as touch_rank
    from touches
),

first_touches as (
    select
        leads.lead_id,
        leads.created_at as lead_created_at,
        ranked.touched_at as first_touched_at,
        ranked.touch_kind as first_touch_kind,
        {{ dbt.datediff('leads.created_at', 'ranked.touched_at', 'second') }}
            as seconds_to_first_touch
    from leads
    left join ranked
        on
            leads.lead_id = ranked.lead_id
            and ranked.touch_rank = 1
),

final as (
    select
        lead_id,
        lead_created_at,
        first_touched_at,
        first_touch_kind,
        {{ sales_hours_between('lead_created_at', 'first_touched_at') }} as speed_to_lead_hours,
        coalesce(seconds_to_first_touch <= 3600, false) as is_answered_within_1h
    from first_touches
)

select * from final
