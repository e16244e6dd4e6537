-- Every raw row of facebook_ads.campaign, checked.
with source as {{ not_materialized() }} (
    select * from {{ source('facebook_ads', 'campaign') }}
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

{{ select_with_row_disposition('checked', 'id') }}
