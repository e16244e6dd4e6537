-- Email engagement rates (kpi-definitions section 4, Engagement rate): open rate = unique opens /
-- delivered and click rate = unique clicks / delivered. Grain: one row per HubSpot email
-- campaign and month of send (int_email_engagement_aggregated); null rates when nothing was
-- delivered.
with engagement as (
    select * from {{ ref('int_email_engagement_aggregated') }}
),

email_campaigns as (
    select * from {{ ref('stg_hubspot__email_campaigns') }}
),

final as (
    select
        engagement.email_engagement_id,
        engagement.email_campaign_id,
        email_campaigns.email_campaign_name,
        email_campaigns.email_type,
        engagement.month,
        engagement.recipients_sent,
        engagement.recipients_delivered,
        engagement.recipients_opened,
        engagement.recipients_clicked,
        engagement.recipients_bounced,
        engagement.recipients_unsubscribed,
        cast(
            engagement.recipients_opened / nullif(cast(engagement.recipients_delivered as decimal(18, 6)), 0)
            as decimal(18, 6)
        ) as open_rate,
        cast(
            engagement.recipients_clicked / nullif(cast(engagement.recipients_delivered as decimal(18, 6)), 0)
            as decimal(18, 6)
        ) as click_rate
    from engagement
    left join email_campaigns on engagement.email_campaign_id = email_campaigns.email_campaign_id
)

select * from final
