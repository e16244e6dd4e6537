-- CRM adoption rate per week (Monday to Sunday, UTC) and sales department (Sales, SDR, Customer
-- Success): active sales users who logged (created) at least one task or event in the week /
-- active sales users. A user is active in a week when created before the week ended and either
-- still active today or deactivated after the week began; Salesforce keeps no deactivation date,
-- so a deactivated user's last load (loaded_at: the sync that brought the deactivation) stands
-- for it. All departments together: the sum of adopting users over the sum of active users.
-- One row per week, from the week of the first task or event to the as-of week (is_complete_week
-- false for that last week when it has not ended), and department.
with users as (
    select * from {{ ref('int_users_with_teams') }}
    where is_sales_user
),

tasks as (
    select * from {{ ref('stg_salesforce__tasks') }}
),

events as (
    select * from {{ ref('stg_salesforce__events') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

activities as (
    select
        owner_user_id,
        created_at
    from tasks
    union all
    select
        owner_user_id,
        created_at
    from events
),

week_spine as (
    -- weeks start on Mondays: 2020-01-06 was a Monday
    {{ dbt.date_spine('week', "cast('2020-01-06' as date)", "cast('2030-01-07' as date)") }}
),

first_activity as (
    select min(created_at) as first_activity_at from activities
),

weeks as (
    select
        cast(week_spine.date_week as date) as week_start_date,
        cast(week_spine.date_week as timestamp) as week_start_at,
        cast({{ dbt.dateadd('day', 7, 'week_spine.date_week') }} as timestamp) as week_end_at,
        cast({{ dbt.dateadd('day', 7, 'week_spine.date_week') }} as timestamp) <= as_of.as_of_at as is_complete_week
    from week_spine
    cross join as_of
    cross join first_activity
    where
        cast({{ dbt.dateadd('day', 7, 'week_spine.date_week') }} as timestamp) > first_activity.first_activity_at
        and week_spine.date_week <= as_of.as_of_date
),

user_weeks_logged as (
    select distinct
        activities.owner_user_id as user_id,
        weeks.week_start_date
    from activities
    inner join weeks
        on
            activities.created_at >= weeks.week_start_at
            and activities.created_at < weeks.week_end_at
),

active_user_weeks as (
    select
        weeks.week_start_date,
        weeks.is_complete_week,
        users.user_id,
        users.department,
        user_weeks_logged.user_id is not null as has_logged_activity
    from weeks
    inner join users
        on
            weeks.week_end_at > users.created_at
            and (users.is_active or weeks.week_start_at <= users.loaded_at)
    left join user_weeks_logged
        on
            users.user_id = user_weeks_logged.user_id
            and weeks.week_start_date = user_weeks_logged.week_start_date
),

aggregated as (
    select
        week_start_date,
        is_complete_week,
        department,
        count(*) as active_sales_user_count,
        sum(case when has_logged_activity then 1 else 0 end) as adopting_user_count
    from active_user_weeks
    group by
        week_start_date,
        is_complete_week,
        department
),

final as (
    select
        {{ sales_key(['week_start_date', 'department']) }} as crm_adoption_week_id,
        week_start_date,
        is_complete_week,
        department,
        cast(active_sales_user_count as bigint) as active_sales_user_count,
        cast(adopting_user_count as bigint) as adopting_user_count,
        cast(
            cast(adopting_user_count as decimal(18, 6)) / nullif(active_sales_user_count, 0)
            as decimal(9, 6)
        ) as crm_adoption_rate
    from aggregated
)

select * from final
