-- Every raw row of hubspot.contact, checked: the rule it breaks (if any) and what staging does
-- with it. A contact whose id another contact lists in property_hs_merged_object_ids was merged
-- into that one by HubSpot: it is still landed, and its disposition is 'merged'.
with source as {{ not_materialized() }} (
    select * from {{ source('hubspot', 'contact') }}
),

merged_ids as {{ not_materialized() }} (
    {{ listed_ids('source', 'property_hs_merged_object_ids', 'id') }}
),

checked as {{ not_materialized() }} (
    select
        source.*,
        source.id as source_row_id,
        {{ row_to_json_text('source') }} as raw_row,
        merged_ids.listed_id is not null as is_merged_away,
        case
            when source.id is null then 'null_key'
        end as reject_rule
    from source
    left join merged_ids
        on source.id = merged_ids.listed_id
)

{{ select_with_row_disposition(
    'checked', 'id', deleted='coalesce(_fivetran_deleted, false)', merged='is_merged_away'
) }}
