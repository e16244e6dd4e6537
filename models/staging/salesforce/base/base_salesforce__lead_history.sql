-- Every raw row of salesforce.lead_history, checked: the rule it breaks (if any) and what staging does
-- with it. Staging reads the 'staged' rows, the rejects model the 'rejected' ones.
with source as (
    select * from {{ source('salesforce', 'lead_history') }}
),

checked as (
    select
        source.*,
        source.id as source_row_id,
        {{ row_to_json_text('source') }} as raw_row,
        case
            when source.id is null then 'null_key'
        end as reject_rule
    from source
)

select
    *,
    {{ row_disposition('id') }} as row_disposition
from checked
