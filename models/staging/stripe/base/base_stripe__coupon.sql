-- Every raw row of stripe.coupon, checked: the rule it breaks (if any) and what staging does
-- with it. Percent coupons have no currency; an amount coupon's currency must be known.
with source as {{ not_materialized() }} (
    select * from {{ source('stripe', 'coupon') }}
),

currencies as {{ not_materialized() }} (
    select lower(currency_code) as currency_code from {{ ref('currencies') }}
),

checked as {{ not_materialized() }} (
    select
        source.*,
        source.id as source_row_id,
        {{ row_to_json_text('source') }} as raw_row,
        case
            when source.id is null then 'null_key'
            when source.currency is not null and currencies.currency_code is null then 'unknown_currency'
        end as reject_rule
    from source
    left join currencies
        on lower(trim(source.currency)) = currencies.currency_code
)

{{ select_with_row_disposition('checked', 'id') }}
