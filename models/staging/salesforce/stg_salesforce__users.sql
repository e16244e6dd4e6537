with base as (
    select * from {{ ref('base_salesforce__user') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as user_id,
        user_role_id,
        manager_id as manager_user_id,

        -- strings
        {{ clean_text('name') }} as user_name,
        {{ clean_email('email') }} as email,
        {{ clean_text('department') }} as department,
        {{ clean_text('title') }} as title,

        -- booleans
        coalesce(is_active, false) as is_active,

        -- timestamps
        {{ iso_to_utc('created_date') }} as created_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
