-- Every raw row of salesforce.event, checked: the rule it breaks (if any) and what staging does
-- with it. Staging reads the 'staged' rows, the rejects model the 'rejected' ones.
with source as {{ not_materialized() }} (
    select * from {{ source('salesforce', 'event') }}
),

checked as {{ not_materialized() }} (
    select
        source.*,
        source.id as source_row_id,
        {{ row_to_json_text('source') }} as raw_row,
        case
            when source.id is null then 'null_key'
        end as reject_rule
    from source
)

{{ select_with_row_disposition('checked', 'id', deleted='coalesce(is_deleted, false)') }}
