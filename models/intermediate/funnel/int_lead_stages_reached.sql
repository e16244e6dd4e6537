-- When each lead first reached each funnel stage (kpi-definitions section 3), one row per lead:
-- lead created -> MQL -> SQL -> opportunity -> closed-won. MQL and SQL come from the lead's
-- history as it happened (never from today's status or score); opportunity is the converted
-- date of a lead converted with an opportunity, closed-won that opportunity's close date when it
-- is won. A later stage implies the earlier ones at the later stage's time: a lead converted
-- without an MQL status counts as MQL (and SQL) on its converted date. An implied time never
-- precedes the lead's creation, and a stage observed on a later day than the stage after it is
-- moved back to that stage's time, so the stage times never decrease down the funnel.
{%- set mql_statuses = "'" ~ var('mql_statuses') | join("', '") ~ "'" %}
{%- set sql_statuses = "'" ~ var('sql_statuses') | join("', '") ~ "'" %}

with leads as (
    select * from {{ ref('stg_salesforce__leads') }}
),

lead_history as (
    select * from {{ ref('stg_salesforce__lead_history') }}
),

opportunities as (
    select * from {{ ref('stg_salesforce__opportunities') }}
),

history_milestones as (
    select
        lead_id,
        min(
            case
                when
                    field_name = 'Status'
                    and new_status in ({{ mql_statuses }})
                    then valid_from
            end
        ) as first_mql_status_at,
        min(
            case
                when
                    field_name = 'lead_score_c'
                    and new_lead_score >= {{ var('mql_score_threshold') }}
                    then valid_from
            end
        ) as first_mql_score_at,
        min(
            case
                when
                    field_name = 'Status'
                    and new_status in ({{ sql_statuses }})
                    then valid_from
            end
        ) as first_sql_status_at
    from lead_history
    group by lead_id
),

observed as (
    select
        leads.lead_id,
        leads.created_at as lead_created_at,
        leads.converted_opportunity_id,
        case
            when
                history_milestones.first_mql_score_at is null
                or history_milestones.first_mql_status_at <= history_milestones.first_mql_score_at
                then history_milestones.first_mql_status_at
            else history_milestones.first_mql_score_at
        end as observed_mql_at,
        case
            when history_milestones.first_mql_status_at is null and history_milestones.first_mql_score_at is null
                then null
            when
                history_milestones.first_mql_score_at is null
                or history_milestones.first_mql_status_at <= history_milestones.first_mql_score_at
                then 'status'
            else 'score'
        end as observed_mql_basis,
        history_milestones.first_sql_status_at as observed_sql_at,
        case
            when leads.converted_opportunity_id is not null then leads.converted_date
        end as converted_date,
        case
            when leads.converted_opportunity_id is not null and opportunities.is_won
                then opportunities.close_date
        end as won_close_date
    from leads
    left join history_milestones on leads.lead_id = history_milestones.lead_id
    left join opportunities on leads.converted_opportunity_id = opportunities.opportunity_id
),

-- Date stages, bottom up: the opportunity stage is reached no later than the win.
date_stages as (
    select
        *,
        case
            when won_close_date is not null and (converted_date is null or won_close_date < converted_date)
                then won_close_date
            else converted_date
        end as opportunity_date
    from observed
),

-- SQL: observed, unless the lead reached the opportunity stage on an earlier day (or never had
-- an SQL status): then at the start of the converted date, but not before the lead existed.
sql_stage as (
    select
        *,
        case
            when
                opportunity_date is not null
                and (observed_sql_at is null or cast(observed_sql_at as date) > opportunity_date)
                then
                    case
                        when cast(opportunity_date as timestamp) < lead_created_at then lead_created_at
                        else cast(opportunity_date as timestamp)
                    end
            else observed_sql_at
        end as sql_at
    from date_stages
),

mql_stage as (
    select
        *,
        case
            when sql_at is not null and (observed_mql_at is null or sql_at < observed_mql_at)
                then sql_at
            else observed_mql_at
        end as mql_at
    from sql_stage
),

final as (
    select
        lead_id,
        converted_opportunity_id,
        lead_created_at,
        mql_at,
        case
            when mql_at is null then null
            when observed_mql_at is not null and mql_at = observed_mql_at then observed_mql_basis
            else 'implied'
        end as mql_basis,
        sql_at,
        case
            when sql_at is null then null
            when observed_sql_at is not null and sql_at = observed_sql_at then 'status'
            else 'implied'
        end as sql_basis,
        opportunity_date,
        won_close_date as won_date
    from mql_stage
)

select * from final
