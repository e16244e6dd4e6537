with base as (
    select * from {{ ref('base_salesforce__user_role') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as user_role_id,
        parent_role_id as parent_user_role_id,

        -- strings
        {{ clean_text('name') }} as user_role_name,

        -- timestamps
        _fivetran_synced as loaded_at
    from base
)

select * from final
