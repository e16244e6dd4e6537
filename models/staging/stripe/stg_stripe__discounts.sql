with base as (
    select * from {{ ref('base_stripe__discount') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as discount_id,
        coupon_id,
        customer_id,
        -- null for a customer-level discount (it applies to each of the customer's subscriptions).
        subscription_id,

        -- timestamps
        start as start_at,
        -- `end` is a reserved word: quoted the adapter's way.
        {{ adapter.quote('end') }} as end_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
