-- The acquisition (source) channel of every lead, one row per lead (kpi-definitions section 3):
-- the channel of the lead's first marketing touch inside the attribution window (var
-- attribution_lookback_days before the lead's creation: the first-touch touch of the lead's
-- conversion in int_attribution_touchpoints, built by the marketing models); else the lead's
-- lead_source mapped through the channel_mapping seed (match_type 'lead_source'), 'other' when
-- the seed does not list the value; else 'direct' when the lead has no source.
with leads as (
    select * from {{ ref('stg_salesforce__leads') }}
),

touchpoints as (
    select * from {{ ref('int_attribution_touchpoints') }}
),

channel_mapping as (
    select * from {{ ref('channel_mapping') }}
    where match_type = 'lead_source'
),

normalised as (
    select
        lead_id,
        lead_source,
        coalesce(lower(trim(lead_source)), '') as lead_source_value
    from leads
),

matched as (
    select
        normalised.lead_id,
        channel_mapping.channel,
        row_number() over (
            partition by normalised.lead_id
            order by channel_mapping.priority
        ) as match_rank
    from normalised
    inner join channel_mapping
        on
            channel_mapping.source_value in (normalised.lead_source_value, '*')
            and channel_mapping.medium_value = '*'
    where normalised.lead_source_value <> ''
),

first_touches as (
    select
        conversion_id as lead_id,
        channel
    from touchpoints
    where
        conversion_type = 'lead'
        and touch_number = 1
),

final as (
    select
        normalised.lead_id,
        normalised.lead_source,
        case
            when first_touches.channel is not null then first_touches.channel
            when normalised.lead_source_value = '' then 'direct'
            else coalesce(matched.channel, 'other')
        end as source_channel,
        case
            when first_touches.channel is not null then 'first_touch'
            when normalised.lead_source_value = '' then 'no_source'
            when matched.channel is null then 'lead_source_unmapped'
            else 'lead_source'
        end as channel_basis
    from normalised
    left join matched
        on
            normalised.lead_id = matched.lead_id
            and matched.match_rank = 1
    left join first_touches on normalised.lead_id = first_touches.lead_id
)

select * from final
