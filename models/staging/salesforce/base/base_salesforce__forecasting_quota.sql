-- Every raw row of salesforce.forecasting_quota, checked: the rule it breaks (if any) and what
-- staging does with it. Staging reads the 'staged' rows, the rejects model the 'rejected' ones.
-- A quota must be in a currency of the currencies seed, or it cannot be converted.
with source as {{ not_materialized() }} (
    select * from {{ source('salesforce', 'forecasting_quota') }}
),

currencies as {{ not_materialized() }} (
    select currency_code from {{ ref('currencies') }}
),

checked as {{ not_materialized() }} (
    select
        source.*,
        source.id as source_row_id,
        {{ row_to_json_text('source') }} as raw_row,
        case
            when source.id is null then 'null_key'
            when currencies.currency_code is null then 'unknown_currency'
        end as reject_rule
    from source
    left join currencies
        on upper(trim(source.currency_iso_code)) = currencies.currency_code
)

{{ select_with_row_disposition('checked', 'id') }}
