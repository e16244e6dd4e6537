-- Quota per rep and month (stg_salesforce__forecasting_quotas), in the reporting currency at the
-- quota month's rate. One row per month and rep with a quota; several quota rows of one rep and
-- month (there should be one) are added up.
with quotas as (
    select * from {{ ref('stg_salesforce__forecasting_quotas') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_monthly') }}
),

converted as (
    select
        quotas.owner_user_id,
        cast({{ dbt.date_trunc('month', 'quotas.start_date') }} as date) as month,
        {{ sales_reporting_amount('quotas.quota_amount', 'fx_rates.rate_to_reporting') }} as quota_amount_reporting
    from quotas
    left join fx_rates
        on
            quotas.currency_code = fx_rates.currency_code
            and cast({{ dbt.date_trunc('month', 'quotas.start_date') }} as date) = fx_rates.month
),

final as (
    select
        {{ sales_key(['month', 'owner_user_id']) }} as rep_quota_month_id,
        owner_user_id,
        month,
        cast(sum(quota_amount_reporting) as decimal(18, 2)) as quota_amount
    from converted
    group by
        month,
        owner_user_id
)

select * from final
