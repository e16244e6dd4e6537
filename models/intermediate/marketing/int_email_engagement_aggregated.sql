-- Email engagement counts per HubSpot email campaign and send month. Each recipient of a
-- campaign counts once per event type (unique delivered, unique opens, unique clicks), and all
-- of a recipient's events count in the month the email was sent to that recipient (its SENT
-- event, else its first event), so an open in the days after a month-end send stays with its
-- send and an automated email sent over many months splits by month of send. The send month of
-- every event comes from int_email_events_assigned (incremental); this aggregate is rebuilt from
-- it on every run, a cheap group-by.
with email_events as (
    select * from {{ ref('int_email_events_assigned') }}
),

recipients as (
    select
        email_campaign_id,
        recipient_email,
        send_month,
        max(case when event_type = 'SENT' then 1 else 0 end) as is_sent,
        max(case when event_type = 'DELIVERED' then 1 else 0 end) as is_delivered,
        max(case when event_type = 'OPEN' then 1 else 0 end) as is_opened,
        max(case when event_type = 'CLICK' then 1 else 0 end) as is_clicked,
        max(case when event_type = 'BOUNCE' then 1 else 0 end) as is_bounced,
        max(case when event_type = 'UNSUBSCRIBED' then 1 else 0 end) as is_unsubscribed
    from email_events
    where recipient_email is not null
    group by email_campaign_id, recipient_email, send_month
),

final as (
    select
        {{ dbt.concat(["email_campaign_id", "'|'", "cast(send_month as " ~ dbt.type_string() ~ ")"]) }}
            as email_engagement_id,
        email_campaign_id,
        send_month as month,
        cast(sum(is_sent) as {{ dbt.type_bigint() }}) as recipients_sent,
        cast(sum(is_delivered) as {{ dbt.type_bigint() }}) as recipients_delivered,
        cast(sum(is_opened) as {{ dbt.type_bigint() }}) as recipients_opened,
        cast(sum(is_clicked) as {{ dbt.type_bigint() }}) as recipients_clicked,
        cast(sum(is_bounced) as {{ dbt.type_bigint() }}) as recipients_bounced,
        cast(sum(is_unsubscribed) as {{ dbt.type_bigint() }}) as recipients_unsubscribed
    from recipients
    group by email_campaign_id, send_month
)

select * from final
