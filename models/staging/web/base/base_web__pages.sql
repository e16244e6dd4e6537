-- Every raw row of web.pages, checked: the rule it breaks (if any) and what staging does with it.
-- A page view with neither an anonymous_id nor a user_id belongs to nobody (null_key); one whose
-- timestamp does not parse cannot be placed in a session (invalid_timestamp).
with source as {{ not_materialized() }} (
    select * from {{ source('web', 'pages') }}
),

checked as {{ not_materialized() }} (
    select
        source.*,
        source.id as source_row_id,
        {{ row_to_json_text('source') }} as raw_row,
        case
            when source.id is null then 'null_key'
            when source.anonymous_id is null and source.user_id is null then 'null_key'
            when {{ iso_to_utc('source.' ~ adapter.quote('timestamp')) }} is null then 'invalid_timestamp'
        end as reject_rule
    from source
)

{{ select_with_row_disposition('checked', 'id') }}
