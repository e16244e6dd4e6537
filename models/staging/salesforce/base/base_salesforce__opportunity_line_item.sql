-- Every raw row of salesforce.opportunity_line_item, checked: the rule it breaks (if any) and
-- what staging does with it. Staging reads the 'staged' rows, the rejects model the 'rejected'
-- ones. A quantity below zero cannot be sold.
with source as (
    select * from {{ source('salesforce', 'opportunity_line_item') }}
),

checked as (
    select
        source.*,
        source.id as source_row_id,
        {{ row_to_json_text('source') }} as raw_row,
        case
            when source.id is null then 'null_key'
            when source.quantity < 0 then 'negative_quantity'
        end as reject_rule
    from source
)

select
    *,
    {{ row_disposition('id', deleted='coalesce(is_deleted, false)') }} as row_disposition
from checked
