-- Every raw row of google_ads.campaign_stats, checked. A row is named by date|campaign_id. The
-- stats' dates are local days of the ad account's time zone and the cost is in the account's
-- currency, so this model joins the account (its latest load) to bring both along: staging turns
-- the local day into a UTC instant without a join of its own.
with source as {{ not_materialized() }} (
    select * from {{ source('google_ads', 'campaign_stats') }}
),

account_loads as {{ not_materialized() }} (
    select
        id,
        time_zone,
        currency_code,
        row_number() over (partition by id order by _fivetran_synced desc) as load_rank
    from {{ source('google_ads', 'account') }}
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
        accounts.time_zone as account_time_zone,
        upper(trim(accounts.currency_code)) as account_currency_code,
        cast(source.date as {{ dbt.type_string() }}) || '|' || source.campaign_id as source_row_id,
        {{ row_to_json_text('source') }} as raw_row,
        case
            when source.date is null or source.campaign_id is null or source.account_id is null then 'null_key'
            when accounts.id is null then 'orphan_fk'
            when accounts.currency_code is not null and currencies.currency_code is null then 'unknown_currency'
            when source.cost_micros < 0 or source.conversions_value < 0 then 'negative_amount'
            when source.impressions < 0 or source.clicks < 0 or source.conversions < 0 then 'negative_quantity'
        end as reject_rule
    from source
    left join accounts
        on source.account_id = accounts.id
    left join currencies
        on upper(trim(accounts.currency_code)) = currencies.currency_code
)

{{ select_with_row_disposition('checked', ['date', 'campaign_id']) }}
