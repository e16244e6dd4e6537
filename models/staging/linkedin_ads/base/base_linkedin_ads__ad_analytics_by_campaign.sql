-- Every raw row of linkedin_ads.ad_analytics_by_campaign, checked. A row is named by day|campaign_id.
-- LinkedIn reports days in UTC, and the row carries no account: the cost is in the currency of the
-- campaign's account, so this model joins the campaign and its account (latest loads) to bring the
-- account id and currency along; staging needs no join of its own.
with source as {{ not_materialized() }} (
    select * from {{ source('linkedin_ads', 'ad_analytics_by_campaign') }}
),

campaign_loads as {{ not_materialized() }} (
    select
        id,
        account_id,
        row_number() over (partition by id order by _fivetran_synced desc) as load_rank
    from {{ source('linkedin_ads', 'campaign') }}
    where id is not null
),

campaigns as {{ not_materialized() }} (
    select * from campaign_loads
    where load_rank = 1
),

account_loads as {{ not_materialized() }} (
    select
        id,
        currency,
        row_number() over (partition by id order by _fivetran_synced desc) as load_rank
    from {{ source('linkedin_ads', 'account') }}
    where id is not null
),

accounts as {{ not_materialized() }} (
    select * from account_loads
    where load_rank = 1
),

currencies as {{ not_materialized() }} (
    select upper(currency_code) as currency_code from {{ ref('currencies') }}
),

checked as {{ not_materialized() }} (
    select
        source.*,
        campaigns.account_id,
        upper(trim(accounts.currency)) as account_currency_code,
        cast(source.day as {{ dbt.type_string() }}) || '|' || source.campaign_id as source_row_id,
        {{ row_to_json_text('source') }} as raw_row,
        case
            when source.day is null or source.campaign_id is null then 'null_key'
            when campaigns.id is null or accounts.id is null then 'orphan_fk'
            when accounts.currency is not null and currencies.currency_code is null then 'unknown_currency'
            when source.cost_in_local_currency < 0 then 'negative_amount'
            when source.impressions < 0 or source.clicks < 0 then 'negative_quantity'
        end as reject_rule
    from source
    left join campaigns
        on source.campaign_id = campaigns.id
    left join accounts
        on campaigns.account_id = accounts.id
    left join currencies
        on upper(trim(accounts.currency)) = currencies.currency_code
)

{{ select_with_row_disposition('checked', ['day', 'campaign_id']) }}
