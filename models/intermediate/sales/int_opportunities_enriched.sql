-- One row per opportunity (open or closed) with what the sales marts split and measure it by:
-- the lead it was born from (if any), its acquisition (source) channel, its sales cycle and, once
-- closed, its amount in the reporting currency at the close month's rate (taken from
-- int_opportunities_closed_valued, the one valuation of closed deals that bookings also use).
--
-- Source channel: the channel of the lead it was born from (int_lead_source_channel); else its own
-- lead_source through the channel_mapping seed ('other' when unmapped); else the channel of the
-- lead that first converted into its account (the account's acquisition channel, e.g. for an
-- expansion or renewal); else 'direct'.
-- Durations (whole calendar days, as a close date is a date): sales_cycle_days from the UTC date
-- of creation to the close date; lead_to_close_days from the UTC date of the lead's creation.
-- A reopened opportunity (closed lost, then reopened and won) is one opportunity with its final
-- outcome and final close date, so it counts once, in the period of its final close, and its
-- cycle runs from creation to that final close.
with opportunities as {{ not_materialized() }} (
    select * from {{ ref('stg_salesforce__opportunities') }}
),

closed_valued as (
    select * from {{ ref('int_opportunities_closed_valued') }}
),

leads as {{ not_materialized() }} (
    select * from {{ ref('stg_salesforce__leads') }}
),

lead_channels as {{ not_materialized() }} (
    select * from {{ ref('int_lead_source_channel') }}
),

channel_mapping as (
    select * from {{ ref('channel_mapping') }}
    where match_type = 'lead_source' and medium_value = '*'
),

-- The lead an opportunity was born from; when several leads converted into one opportunity, the
-- earliest created.
source_leads as (
    select
        leads.converted_opportunity_id as opportunity_id,
        leads.lead_id,
        leads.created_at as lead_created_at,
        lead_channels.source_channel,
        row_number() over (
            partition by leads.converted_opportunity_id
            order by leads.created_at, leads.lead_id
        ) as lead_rank
    from leads
    inner join lead_channels on leads.lead_id = lead_channels.lead_id
    where leads.converted_opportunity_id is not null
),

-- The account's acquisition channel: that of the lead that first converted into it.
account_first_leads as (
    select
        leads.converted_account_id as account_id,
        lead_channels.source_channel,
        row_number() over (
            partition by leads.converted_account_id
            order by leads.converted_date, leads.created_at, leads.lead_id
        ) as lead_rank
    from leads
    inner join lead_channels on leads.lead_id = lead_channels.lead_id
    where leads.converted_account_id is not null
),

own_lead_source_channels as (
    select
        opportunities.opportunity_id,
        channel_mapping.channel,
        row_number() over (
            partition by opportunities.opportunity_id
            order by channel_mapping.priority
        ) as match_rank
    from opportunities
    inner join channel_mapping
        on channel_mapping.source_value in (lower(trim(opportunities.lead_source)), '*')
    where coalesce(trim(opportunities.lead_source), '') <> ''
),

final as (
    select
        -- ids
        opportunities.opportunity_id,
        opportunities.account_id,
        opportunities.owner_user_id,
        source_leads.lead_id,

        -- strings
        opportunities.opportunity_name,
        opportunities.opportunity_type,
        opportunities.sales_channel,
        opportunities.stage_name,
        opportunities.forecast_category,
        opportunities.currency_code,
        case
            when source_leads.lead_id is not null then source_leads.source_channel
            when coalesce(trim(opportunities.lead_source), '') <> ''
                then coalesce(own_lead_source_channels.channel, 'other')
            when account_first_leads.source_channel is not null then account_first_leads.source_channel
            else 'direct'
        end as source_channel,
        case
            when source_leads.lead_id is not null then 'source_lead'
            when coalesce(trim(opportunities.lead_source), '') <> '' then 'opportunity_lead_source'
            when account_first_leads.source_channel is not null then 'account_first_lead'
            else 'no_source'
        end as source_channel_basis,

        -- booleans
        opportunities.is_closed,
        opportunities.is_won,
        opportunities.is_closed and not opportunities.is_won as is_lost,
        source_leads.lead_id is not null as is_from_lead,

        -- numerics
        opportunities.amount,
        closed_valued.amount_reporting,
        case
            when opportunities.is_closed
                then {{ sales_days_between_dates('opportunities.created_at', 'opportunities.close_date') }}
        end as sales_cycle_days,
        case
            when opportunities.is_closed and source_leads.lead_id is not null
                then {{ sales_days_between_dates('source_leads.lead_created_at', 'opportunities.close_date') }}
        end as lead_to_close_days,

        -- dates
        opportunities.close_date,
        cast({{ dbt.date_trunc('month', 'opportunities.close_date') }} as date) as close_month,

        -- timestamps
        opportunities.created_at,
        source_leads.lead_created_at
    from opportunities
    left join closed_valued on opportunities.opportunity_id = closed_valued.opportunity_id
    left join source_leads
        on
            opportunities.opportunity_id = source_leads.opportunity_id
            and source_leads.lead_rank = 1
    left join account_first_leads
        on
            opportunities.account_id = account_first_leads.account_id
            and account_first_leads.lead_rank = 1
    left join own_lead_source_channels
        on
            opportunities.opportunity_id = own_lead_source_channels.opportunity_id
            and own_lead_source_channels.match_rank = 1
)

select * from final
