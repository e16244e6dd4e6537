-- Every raw row of linkedin_ads.account, checked: the rule it breaks (if any) and what staging does
-- with it.
with source as {{ not_materialized() }} (
    select * from {{ source('linkedin_ads', 'account') }}
),

currencies as {{ not_materialized() }} (
    select upper(currency_code) as currency_code from {{ ref('currencies') }}
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
        on upper(trim(source.currency)) = currencies.currency_code
)

{{ select_with_row_disposition('checked', 'id') }}
