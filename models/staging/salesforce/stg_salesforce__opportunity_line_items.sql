-- Money is in the parent opportunity's currency (stg_salesforce__opportunities.currency_code):
-- the raw line item has no currency column, and staging does not join.
with base as (
    select * from {{ ref('base_salesforce__opportunity_line_item') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as opportunity_line_item_id,
        opportunity_id,
        product_2_id as product_id,

        -- numerics
        cast(quantity as decimal(18, 2)) as quantity,
        cast(unit_price as decimal(18, 2)) as unit_price,
        cast(total_price as decimal(18, 2)) as total_price,

        -- timestamps
        {{ iso_to_utc('created_date') }} as created_at,
        _fivetran_synced as loaded_at
    from base
)

select * from final
