-- Every raw row of salesforce.campaign_member, checked: the rule it breaks (if any) and what
-- staging does with it. Staging reads the 'staged' rows, the rejects model the 'rejected' ones.
-- A membership needs a campaign, and one that exists in the raw campaign table.
with source as {{ not_materialized() }} (
    select * from {{ source('salesforce', 'campaign_member') }}
),

campaigns as {{ not_materialized() }} (
    select distinct id as campaign_id from {{ source('salesforce', 'campaign') }}
),

checked as {{ not_materialized() }} (
    select
        source.*,
        source.id as source_row_id,
        {{ row_to_json_text('source') }} as raw_row,
        case
            when source.id is null or source.campaign_id is null then 'null_key'
            when campaigns.campaign_id is null then 'orphan_fk'
        end as reject_rule
    from source
    left join campaigns
        on source.campaign_id = campaigns.campaign_id
)

{{ select_with_row_disposition('checked', 'id', deleted='coalesce(is_deleted, false)') }}
