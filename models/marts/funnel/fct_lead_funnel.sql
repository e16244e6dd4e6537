-- The lead funnel, one row per lead: when it first reached each stage (lead created, MQL, SQL,
-- opportunity, closed-won; int_lead_stages_reached), its acquisition channel
-- (int_lead_source_channel), its customer-360 customer and its speed to lead
-- (int_lead_response_times). Opportunities not born from a lead are not in the lead funnel.
with leads as (
    select * from {{ ref('stg_salesforce__leads') }}
),

stages as (
    select * from {{ ref('int_lead_stages_reached') }}
),

channels as (
    select * from {{ ref('int_lead_source_channel') }}
),

response_times as (
    select * from {{ ref('int_lead_response_times') }}
),

opportunities as (
    select * from {{ ref('stg_salesforce__opportunities') }}
),

identities as (
    select * from {{ ref('dim_customer_identities') }}
),

final as (
    select
        -- ids
        leads.lead_id,
        identities.customer_id,
        leads.owner_user_id,
        opportunities.opportunity_id,

        -- strings
        channels.source_channel,
        channels.channel_basis as source_channel_basis,
        leads.lead_source,
        leads.lead_status as current_lead_status,
        stages.mql_basis,
        stages.sql_basis,

        -- booleans
        stages.mql_at is not null as is_mql,
        stages.sql_at is not null as is_sql,
        stages.opportunity_date is not null as has_opportunity,
        stages.won_date is not null as is_won,
        response_times.first_touched_at is not null as is_touched,
        response_times.is_answered_within_1h,

        -- numerics
        response_times.speed_to_lead_hours,

        -- dates
        cast({{ dbt.date_trunc('month', 'stages.lead_created_at') }} as date) as lead_cohort_month,
        stages.opportunity_date,
        stages.won_date,

        -- timestamps
        stages.lead_created_at,
        stages.mql_at,
        stages.sql_at,
        response_times.first_touched_at
    from leads
    inner join stages on leads.lead_id = stages.lead_id
    inner join channels on leads.lead_id = channels.lead_id
    inner join response_times on leads.lead_id = response_times.lead_id
    left join opportunities on stages.converted_opportunity_id = opportunities.opportunity_id
    left join identities
        on
            identities.source_table = 'raw_salesforce.lead'
            and leads.lead_id = identities.source_id
)

select * from final
