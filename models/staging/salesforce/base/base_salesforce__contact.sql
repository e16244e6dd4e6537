-- Every raw row of salesforce.contact, checked: the rule it breaks (if any) and what staging does
-- with it. Staging reads the 'staged' rows, the rejects model the 'rejected' ones.
-- A contact that names an account must name one that exists in the raw account table.
with source as {{ not_materialized() }} (
    select * from {{ source('salesforce', 'contact') }}
),

accounts as {{ not_materialized() }} (
    select distinct id as account_id from {{ source('salesforce', 'account') }}
),

checked as {{ not_materialized() }} (
    select
        source.*,
        source.id as source_row_id,
        {{ row_to_json_text('source') }} as raw_row,
        case
            when source.id is null then 'null_key'
            when source.account_id is not null and accounts.account_id is null then 'orphan_fk'
        end as reject_rule
    from source
    left join accounts
        on source.account_id = accounts.account_id
)

{{ select_with_row_disposition('checked', 'id', deleted='coalesce(is_deleted, false)') }}
