-- Every raw row of hubspot.email_event, checked. An event without a recipient cannot be tied to a
-- person, so it is rejected (null_key).
with source as {{ not_materialized() }} (
    select * from {{ source('hubspot', 'email_event') }}
),

checked as {{ not_materialized() }} (
    select
        source.*,
        source.id as source_row_id,
        {{ row_to_json_text('source') }} as raw_row,
        case
            when source.id is null or source.recipient is null then 'null_key'
        end as reject_rule
    from source
)

{{ select_with_row_disposition('checked', 'id') }}
