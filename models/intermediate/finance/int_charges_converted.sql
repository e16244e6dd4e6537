{{ config(
    materialized=incremental_materialization(),
    incremental_strategy=incremental_replace_strategy(),
    unique_key='charge_id',
    on_schema_change='fail',
) }}
-- Read by incremental runs only (dbt needs the dependencies outside the is_incremental() block):
-- depends_on: {{ ref('stg_stripe__invoices') }}
-- Every Stripe charge in its own currency and in the reporting currency, converted at the rate of
-- the month the charge was created and rounded to the cent once (collections sum these cents).
-- The Stripe customer is kept as Stripe names it: which customer-360 customer it belongs to is
-- decided by identity resolution, which can change for old charges, so int_cash_customer_monthly
-- maps it on every run.
--
-- Incremental: a run reads the charges loaded since the latest load already in the table, less var
-- incremental_lookback_days. A charge changes state after it is created (refunded, disputed, a
-- pending one succeeding or failing): Stripe writes it again, a new load, and the unique_key
-- replaces its earlier row. Two more kinds of rows are recomputed whatever their load time: the
-- older charges of every invoice loaded in the window (staging rejects a charge whose invoice has
-- not landed yet, and stages it once it has), and every charge whose month's FX rate differs from
-- the one it was converted at (a rate added or corrected in the fx_rates_monthly seed), from the
-- table's own row.
-- on_schema_change fail: a new column has to be filled on every old charge, so a full refresh
-- (`dbt build --full-refresh -s int_charges_converted+`), never a column of nulls.
with charges as {{ not_materialized() }} (
    select * from {{ ref('stg_stripe__charges') }}
),

fx_rates as {{ not_materialized() }} (
    select * from {{ ref('int_fx_rates_monthly') }}
),

{% if is_incremental() %}
    {%- set loaded_since = incremental_lookback_start('loaded_at') %}
    invoices as (
        select * from {{ ref('stg_stripe__invoices') }}
    ),

    invoices_reloaded as (
        select invoice_id from invoices
        where loaded_at >= {{ loaded_since }}
    ),

    -- the charges loaded in the window, and the older charges of the reloaded invoices (the two
    -- parts never overlap)
    charges_from_staging as (
        select * from charges
        where loaded_at >= {{ loaded_since }}

        union all

        select * from charges
        where
            loaded_at < {{ loaded_since }}
            and invoice_id in (select invoices_reloaded.invoice_id from invoices_reloaded)
    ),

    -- charges already converted at a rate that is no longer the month's rate
    charges_reconverted as (
        select
            previous_conversion.charge_id,
            previous_conversion.stripe_customer_id as customer_id,
            previous_conversion.invoice_id,
            previous_conversion.charge_status,
            previous_conversion.failure_code,
            previous_conversion.currency_code,
            previous_conversion.amount,
            previous_conversion.amount_refunded,
            previous_conversion.is_paid,
            previous_conversion.is_captured,
            previous_conversion.created_at,
            previous_conversion.loaded_at
        from {{ this }} as previous_conversion
        left join fx_rates
            on
                previous_conversion.month = fx_rates.month
                and previous_conversion.currency_code = fx_rates.currency_code
        left join charges_from_staging
            on previous_conversion.charge_id = charges_from_staging.charge_id
        where
            charges_from_staging.charge_id is null
            -- a rate that changed, appeared or disappeared (null-safe, on every engine)
            and coalesce(
                previous_conversion.rate_to_reporting != fx_rates.rate_to_reporting,
                previous_conversion.rate_to_reporting is not null or fx_rates.rate_to_reporting is not null
            )
    ),

    charges_to_convert as (
        select
            charge_id,
            customer_id,
            invoice_id,
            charge_status,
            failure_code,
            currency_code,
            amount,
            amount_refunded,
            is_paid,
            is_captured,
            created_at,
            loaded_at
        from charges_from_staging

        union all

        select * from charges_reconverted
    ),
{% else %}
    charges_to_convert as (
        select
            charge_id,
            customer_id,
            invoice_id,
            charge_status,
            failure_code,
            currency_code,
            amount,
            amount_refunded,
            is_paid,
            is_captured,
            created_at,
            loaded_at
        from charges
    ),
{% endif %}

charge_months as (
    select
        *,
        cast({{ dbt.date_trunc('month', 'created_at') }} as date) as month
    from charges_to_convert
),

final as (
    select
        -- ids
        charge_months.charge_id,
        charge_months.customer_id as stripe_customer_id,
        charge_months.invoice_id,

        -- strings
        charge_months.charge_status,
        charge_months.failure_code,
        charge_months.currency_code,

        -- numerics
        charge_months.amount,
        charge_months.amount_refunded,
        fx_rates.rate_to_reporting,
        {{ to_reporting_currency('charge_months.amount', 'fx_rates.rate_to_reporting') }} as amount_reporting,

        -- booleans
        charge_months.is_paid,
        charge_months.is_captured,

        -- dates
        charge_months.month,

        -- timestamps
        charge_months.created_at,
        charge_months.loaded_at
    from charge_months
    left join fx_rates
        on
            charge_months.month = fx_rates.month
            and charge_months.currency_code = fx_rates.currency_code
)

select * from final
