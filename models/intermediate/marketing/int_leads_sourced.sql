-- Every lead with what marketing reports it by: its creation month, its acquisition (source)
-- channel (int_lead_source_channel), the ad platform and campaign of its first touch inside the
-- attribution window when that touch set the channel (null otherwise), and whether it reached
-- MQL (int_lead_stages_reached: the funnel's MQL, by the as-of date). One row per lead; the
-- marketing marts count leads, MQLs and conversion rates from it.
with leads as (
    select * from {{ ref('stg_salesforce__leads') }}
),

lead_source_channels as (
    select * from {{ ref('int_lead_source_channel') }}
),

touchpoints as (
    select * from {{ ref('int_attribution_touchpoints') }}
),

lead_stages as (
    select * from {{ ref('int_lead_stages_reached') }}
),

first_touches as (
    select
        conversion_id as lead_id,
        touch_id,
        channel,
        platform,
        campaign
    from touchpoints
    where
        conversion_type = 'lead'
        and touch_number = 1
),

final as (
    select
        leads.lead_id,
        leads.created_at,
        cast({{ dbt.date_trunc('month', 'leads.created_at') }} as date) as lead_month,
        lead_source_channels.source_channel,
        first_touches.touch_id as first_touch_id,
        -- the first touch's platform and campaign only where that touch set the channel
        case when first_touches.channel = lead_source_channels.source_channel then first_touches.platform end
            as platform,
        case when first_touches.channel = lead_source_channels.source_channel then first_touches.campaign end
            as campaign,
        lead_stages.mql_at,
        lead_stages.mql_at is not null as is_mql
    from leads
    left join lead_source_channels on leads.lead_id = lead_source_channels.lead_id
    left join first_touches on leads.lead_id = first_touches.lead_id
    left join lead_stages on leads.lead_id = lead_stages.lead_id
)

select * from final
