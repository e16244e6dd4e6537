with base as (
    select * from {{ ref('base_stripe__subscription_history') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as subscription_id,
        customer_id,

        -- strings
        trim(status) as subscription_status,
        trim(collection_method) as collection_method,
        -- metadata spells the channel self-serve, self_serve or Self Serve: one spelling, with hyphens.
        replace(
            replace({{ clean_enum(json_string('metadata', 'sales_channel')) }}, '_', '-'),
            ' ',
            '-'
        ) as sales_channel,

        -- booleans
        coalesce(cancel_at_period_end, false) as is_cancel_at_period_end,
        _fivetran_active as is_current,

        -- timestamps
        created as created_at,
        start_date as started_at,
        trial_start as trial_start_at,
        trial_end as trial_end_at,
        current_period_start as current_period_start_at,
        current_period_end as current_period_end_at,
        cancel_at,
        canceled_at,
        ended_at,
        _fivetran_start as valid_from,
        case
            when _fivetran_end < cast('9999-12-31' as {{ dbt.type_timestamp() }}) then _fivetran_end
        end as valid_to,
        _fivetran_synced as loaded_at
    from base
)

select * from final
