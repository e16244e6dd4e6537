-- Every raw row of stripe.refund, checked: the rule it breaks (if any) and what staging does
-- with it. Refunds are subtracted from collections, so a negative one would add cash: rejected.
with source as {{ not_materialized() }} (
    select * from {{ source('stripe', 'refund') }}
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
            when source.id is null or source.charge_id is null then 'null_key'
            when source.amount < 0 then 'negative_amount'
            when currencies.currency_code is null then 'unknown_currency'
        end as reject_rule
    from source
    left join currencies
        on lower(trim(source.currency)) = currencies.currency_code
)

{{ select_with_row_disposition('checked', 'id') }}
