-- Salesforce users with their team (the name of their role, e.g. "AE - Enterprise", "SDR - EMEA"),
-- one row per user: the rep dimension of the per-rep and per-team sales marts.
with users as (
    select * from {{ ref('stg_salesforce__users') }}
),

user_roles as (
    select * from {{ ref('stg_salesforce__user_roles') }}
),

final as (
    select
        users.user_id,
        users.user_name,
        users.department,
        coalesce(user_roles.user_role_name, 'no role') as team,
        users.department in ('Sales', 'SDR', 'Customer Success') as is_sales_user,
        users.is_active,
        users.created_at,
        users.loaded_at
    from users
    left join user_roles on users.user_role_id = user_roles.user_role_id
)

select * from final
