-- Every raw row of hubspot.email_campaign, checked.
with source as (
    select * from {{ source('hubspot', 'email_campaign') }}
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
