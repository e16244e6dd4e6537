-- Every raw row of facebook_ads.basic_campaign, checked. A row is named by date|campaign_id. The
-- report's dates are local days of the ad account's time zone and the spend is in the account's
-- currency, so this model joins the account (its latest load) to bring both along: staging turns
-- the local day into a UTC instant without a join of its own.
with source as {{ not_materialized() }} (
    select * from {{ source('facebook_ads', 'basic_campaign') }}
),

account_loads as {{ not_materialized() }} (
    select
        id,
        timezone_name,
        currency,
        row_number() over (partition by id order by _fivetran_synced desc) as load_rank
    from {{ source('facebook_ads', 'account') }}
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
        accounts.timezone_name as account_time_zone,
        upper(trim(accounts.currency)) as account_currency_code,
        cast(source.date as {{ dbt.type_string() }}) || '|' || source.campaign_id as source_row_id,
        {{ row_to_json_text('source') }} as raw_row,
        case
            when source.date is null or source.campaign_id is null or source.account_id is null then 'null_key'
            when accounts.id is null then 'orphan_fk'
            when accounts.currency is not null and currencies.currency_code is null then 'unknown_currency'
            when source.spend < 0 then 'negative_amount'
            when source.impressions < 0 or source.reach < 0 or source.inline_link_clicks < 0 then 'negative_quantity'
        end as reject_rule
    from source
    left join accounts
        on source.account_id = accounts.id
    left join currencies
        on upper(trim(accounts.currency)) = currencies.currency_code
)

{{ select_with_row_disposition('checked', ['date', 'campaign_id']) }}
