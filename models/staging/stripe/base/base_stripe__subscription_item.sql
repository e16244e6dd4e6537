-- Every raw row of stripe.subscription_item (one row per version of an item), checked: the rule
-- it breaks (if any) and what staging does with it. A version is keyed by (id, _fivetran_start).
-- Metered items have no quantity: a null quantity is fine, only a negative one is rejected.
with source as {{ not_materialized() }} (
    select * from {{ source('stripe', 'subscription_item') }}
),

prices as {{ not_materialized() }} (
    select distinct id as price_id from {{ source('stripe', 'price') }}
    where id is not null
),

checked as {{ not_materialized() }} (
    select
        source.*,
        source.id as source_row_id,
        {{ row_to_json_text('source') }} as raw_row,
        case
            when
                source.id is null
                or source._fivetran_start is null
                or source.subscription_id is null
                or source.plan_id is null
                then 'null_key'
            when prices.price_id is null then 'orphan_fk'
            when source.quantity < 0 then 'negative_quantity'
        end as reject_rule
    from source
    left join prices
        on source.plan_id = prices.price_id
)

{{ select_with_row_disposition('checked', ['id', '_fivetran_start']) }}
