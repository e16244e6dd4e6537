-- Every raw row of stripe.subscription_history (one row per version of a subscription), checked:
-- the rule it breaks (if any) and what staging does with it. A version is keyed by
-- (id, _fivetran_start); a re-synced copy of the same version is a duplicate.
with source as {{ not_materialized() }} (
    select * from {{ source('stripe', 'subscription_history') }}
),

checked as {{ not_materialized() }} (
    select
        source.*,
        source.id as source_row_id,
        {{ row_to_json_text('source') }} as raw_row,
        case
            when source.id is null or source._fivetran_start is null or source.customer_id is null
                then 'null_key'
        end as reject_rule
    from source
)

{{ select_with_row_disposition('checked', ['id', '_fivetran_start']) }}
