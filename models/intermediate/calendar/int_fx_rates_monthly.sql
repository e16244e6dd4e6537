-- The monthly rate that converts one unit of a currency into the reporting currency
-- (var reporting_currency): amount_reporting = amount * rate_to_reporting, at the rate of the
-- month the amount belongs to.
with rates as {{ not_materialized() }} (
    select * from {{ ref('fx_rates_monthly') }}
),

reporting as (
    select
        month,
        rate_to_usd as reporting_rate_to_usd
    from rates
    where currency_code = '{{ var("reporting_currency") }}'
),

final as (
    select
        {{ dbt.concat(["cast(rates.month as " ~ dbt.type_string() ~ ")", "'|'", "rates.currency_code"]) }}
            as fx_rate_id,
        cast(rates.month as date) as month,
        rates.currency_code,
        cast(rates.rate_to_usd / reporting.reporting_rate_to_usd as decimal(18, 10)) as rate_to_reporting
    from rates
    inner join reporting on rates.month = reporting.month
)

select * from final
