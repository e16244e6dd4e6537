with base as (
    select * from {{ ref('base_salesforce__forecasting_quota') }}
    where row_disposition = 'staged'
),

final as (
    select
        -- ids
        id as forecasting_quota_id,
        quota_owner_id as owner_user_id,

        -- strings
        upper(trim(currency_iso_code)) as currency_code,

        -- numerics
        cast(quota_amount as decimal(18, 2)) as quota_amount,

        -- dates
        -- the first day of the quota's month
        {{ dbt.safe_cast('start_date', api.Column.translate_type('date')) }} as start_date,

        -- timestamps
        _fivetran_synced as loaded_at
    from base
)

select * from final
