-- Every raw row of stripe.discount, checked: the rule it breaks (if any) and what staging does
-- with it. A discount without a subscription is a customer-level discount, not a fault.
with source as {{ not_materialized() }} (
    select * from {{ source('stripe', 'discount') }}
),

checked as {{ not_materialized() }} (
    select
        source.*,
        source.id as source_row_id,
        {{ row_to_json_text('source') }} as raw_row,
        case
            when source.id is null or source.coupon_id is null or source.customer_id is null then 'null_key'
        end as reject_rule
    from source
)

{{ select_with_row_disposition('checked', 'id') }}
