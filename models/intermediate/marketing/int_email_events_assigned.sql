{{ config(
    materialized=incremental_materialization(),
    incremental_strategy=incremental_replace_strategy(),
    unique_key='email_event_id',
    on_schema_change='fail',
) }}
-- Every HubSpot email event, assigned to the send it belongs to: the month the campaign was sent
-- to its recipient (the recipient's SENT event of that campaign, else the recipient's first event
-- of it), so an open in the days after a month-end send stays with its send. An event without a
-- recipient email belongs to no send (send_month null). int_email_engagement_aggregated counts
-- recipients per campaign and send month from these rows.
--
-- Incremental: a run reads the email events loaded since the latest load already in the table,
-- less var incremental_lookback_days (events a connector lands late or re-syncs), and re-assigns
-- every campaign recipient those events touch - all of that recipient's events of the campaign,
-- the new ones from staging and the others as the table has them - because a late SENT event (or
-- an event earlier than the first one known) moves the send month of the recipient's earlier
-- events. A re-loaded event that changed campaign or recipient re-assigns its old pair too. The
-- unique_key replaces those pairs' rows; no other pair's send can change. Email events are never
-- edited once sent, so the rows already in the table are what staging has for them.
-- on_schema_change fail: a new column has to be filled on every event, so a full refresh
-- (`dbt build --full-refresh -s int_email_events_assigned+`), never a column of nulls on old rows.
with email_events as {{ not_materialized() }} (
    select * from {{ ref('stg_hubspot__email_events') }}
),

{% if is_incremental() %}
    -- the only staging rows read: a filter on a plain column, so only they are cleaned
    new_email_events as (
        select * from email_events
        where loaded_at >= {{ incremental_lookback_start('loaded_at') }}
    ),

    -- the campaign recipients of those events, and the pair a re-loaded event was assigned in before
    affected_recipients as (
        select
            email_campaign_id,
            recipient_email
        from new_email_events
        where recipient_email is not null

        union

        select
            previous_assignment.email_campaign_id,
            previous_assignment.recipient_email
        from {{ this }} as previous_assignment
        inner join new_email_events
            on previous_assignment.email_event_id = new_email_events.email_event_id
        where previous_assignment.recipient_email is not null
    ),

    -- every event of those pairs: the new ones, and the others as the table has them
    events_to_assign as (
        select
            email_event_id,
            email_campaign_id,
            event_type,
            recipient_email,
            recipient_email_domain,
            clicked_url,
            occurred_at,
            loaded_at
        from new_email_events

        union all

        select
            previous_assignment.email_event_id,
            previous_assignment.email_campaign_id,
            previous_assignment.event_type,
            previous_assignment.recipient_email,
            previous_assignment.recipient_email_domain,
            previous_assignment.clicked_url,
            previous_assignment.occurred_at,
            previous_assignment.loaded_at
        from {{ this }} as previous_assignment
        inner join affected_recipients
            on
                previous_assignment.email_campaign_id = affected_recipients.email_campaign_id
                and previous_assignment.recipient_email = affected_recipients.recipient_email
        left join new_email_events
            on previous_assignment.email_event_id = new_email_events.email_event_id
        where new_email_events.email_event_id is null
    ),
{% else %}
    events_to_assign as {{ not_materialized() }} (
        select * from email_events
    ),
{% endif %}

-- each campaign recipient's send instant and first event: an aggregate joined back, not a window,
-- which would carry every column of every event through its sort (at scale 100, 60 M events)
recipient_sends as (
    select
        email_campaign_id,
        recipient_email,
        min(case when event_type = 'SENT' then occurred_at end) as recipient_sent_at,
        min(occurred_at) as recipient_first_event_at
    from events_to_assign
    where recipient_email is not null
    group by email_campaign_id, recipient_email
),

final as (
    select
        -- ids
        events_to_assign.email_event_id,
        events_to_assign.email_campaign_id,

        -- strings
        events_to_assign.event_type,
        events_to_assign.recipient_email,
        events_to_assign.recipient_email_domain,
        events_to_assign.clicked_url,

        -- dates
        cast(
            {{ dbt.date_trunc(
                'month', 'coalesce(recipient_sends.recipient_sent_at, recipient_sends.recipient_first_event_at)'
            ) }} as date
        ) as send_month,

        -- timestamps
        events_to_assign.occurred_at,
        events_to_assign.loaded_at
    from events_to_assign
    -- an event without a recipient email meets no send: its send_month stays null
    left join recipient_sends
        on
            events_to_assign.email_campaign_id = recipient_sends.email_campaign_id
            and events_to_assign.recipient_email = recipient_sends.recipient_email
)

select * from final
