-- Every raw row of salesforce.campaign_member, checked: the rule it breaks (if any) and what
-- staging does with it. Staging reads the 'staged' rows, the rejects model the 'rejected' ones.
-- A membership needs a campaign, and one that exists in the raw campaign table.
with source as (
    select * from {{ source('salesforce', 'campaign_member') }}
),

campaigns as (
    select distinct id as campaign_id from {{ source('salesforce', 'campaign') }}
),

checked as (
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

select
    *,
    {{ row_disposition('id', deleted='coalesce(is_deleted, false)') }} as row_disposition
from checked
