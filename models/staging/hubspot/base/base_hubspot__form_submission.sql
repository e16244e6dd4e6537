-- Every raw row of hubspot.form_submission, checked. The table has no id column: a row is named by
-- its conversion_id.
with source as {{ not_materialized() }} (
    select * from {{ source('hubspot', 'form_submission') }}
),

checked as {{ not_materialized() }} (
    select
        source.*,
        source.conversion_id as source_row_id,
        {{ row_to_json_text('source') }} as raw_row,
        case
            when source.conversion_id is null or source.contact_id is null then 'null_key'
        end as reject_rule
    from source
)

{{ select_with_row_disposition('checked', 'conversion_id') }}
