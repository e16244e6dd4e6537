-- Contact success rate per rep (and their team, the role) and month: conversions per 1,000
-- outbound calls. Outbound calls are the rep's tasks of type Call with call_type Outbound logged
-- (created) in the month. Conversions (int_rep_conversions) are the prospects the rep converted
-- in the month - a call with disposition 'Meeting Booked', or an opportunity created from the
-- rep's lead - each lead counted once, at its first conversion. A team's rate is the sum of its
-- reps' conversions over the sum of their calls. One row per month and rep with outbound calls or
-- conversions; null rate without outbound calls.
with tasks as (
    select * from {{ ref('stg_salesforce__tasks') }}
),

conversions as (
    select * from {{ ref('int_rep_conversions') }}
),

reps as (
    select * from {{ ref('int_users_with_teams') }}
),

outbound_calls as (
    select
        owner_user_id,
        cast({{ dbt.date_trunc('month', 'created_at') }} as date) as month,
        count(*) as outbound_call_count
    from tasks
    where task_type = 'Call' and call_type = 'Outbound'
    group by
        owner_user_id,
        cast({{ dbt.date_trunc('month', 'created_at') }} as date)
),

rep_conversions as (
    select
        owner_user_id,
        month,
        count(*) as conversion_count,
        sum(case when conversion_type = 'meeting_booked' then 1 else 0 end) as meeting_booked_count,
        sum(case when conversion_type = 'opportunity_created' then 1 else 0 end) as opportunity_created_count
    from conversions
    group by
        owner_user_id,
        month
),

combined as (
    select
        coalesce(outbound_calls.month, rep_conversions.month) as month,
        coalesce(outbound_calls.owner_user_id, rep_conversions.owner_user_id) as user_id,
        coalesce(outbound_calls.outbound_call_count, 0) as outbound_call_count,
        coalesce(rep_conversions.conversion_count, 0) as conversion_count,
        coalesce(rep_conversions.meeting_booked_count, 0) as meeting_booked_count,
        coalesce(rep_conversions.opportunity_created_count, 0) as opportunity_created_count
    from outbound_calls
    full outer join rep_conversions
        on
            outbound_calls.month = rep_conversions.month
            and outbound_calls.owner_user_id = rep_conversions.owner_user_id
),

final as (
    select
        {{ sales_key(['combined.month', 'combined.user_id']) }} as contact_success_id,
        combined.month,
        combined.user_id,
        reps.team,
        reps.department,
        cast(combined.outbound_call_count as bigint) as outbound_call_count,
        cast(combined.conversion_count as bigint) as conversion_count,
        cast(combined.meeting_booked_count as bigint) as meeting_booked_conversion_count,
        cast(combined.opportunity_created_count as bigint) as opportunity_conversion_count,
        cast(
            cast(combined.conversion_count as decimal(18, 6)) * 1000 / nullif(combined.outbound_call_count, 0)
            as decimal(18, 6)
        ) as conversions_per_1000_calls
    from combined
    left join reps on combined.user_id = reps.user_id
)

select * from final
