with base as (
    select * from {{ ref('base_stripe__subscription_item') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as subscription_item_id,
        subscription_id,
        plan_id as price_id,

        -- numerics
        -- null for metered items (billed on usage); kept null, never 0 or 1.
        quantity,

        -- booleans
        _fivetran_active as is_current,

        -- timestamps
        created as created_at,
        _fivetran_start as valid_from,
        case
            when _fivetran_end < cast('9999-12-31' as {{ dbt.type_timestamp() }}) then _fivetran_end
        end as valid_to,
        _fivetran_synced as loaded_at
    from base
)

select * from final
