-- Every raw row of salesforce.opportunity, checked: the rule it breaks (if any) and what staging
-- does with it. Staging reads the 'staged' rows, the rejects model the 'rejected' ones.
-- An opportunity needs an account that exists in the raw account table (deleted accounts count:
-- the record exists), a currency of the currencies seed, and a close date on or after the (UTC)
-- date it was created.
with source as {{ not_materialized() }} (
    select * from {{ source('salesforce', 'opportunity') }}
),

accounts as {{ not_materialized() }} (
    select distinct id as account_id from {{ source('salesforce', 'account') }}
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
            when source.id is null or source.account_id is null then 'null_key'
            when accounts.account_id is null then 'orphan_fk'
            when currencies.currency_code is null then 'unknown_currency'
            when
                {{ dbt.safe_cast('source.close_date', api.Column.translate_type('date')) }}
                < cast({{ iso_to_utc('source.created_date') }} as date)
                then 'close_before_create'
        end as reject_rule
    from source
    left join accounts
        on source.account_id = accounts.account_id
    left join currencies
        on upper(trim(source.currency_iso_code)) = currencies.currency_code
)

{{ select_with_row_disposition('checked', 'id', deleted='coalesce(is_deleted, false)') }}
