-- The open pipeline as it stood at the first instant of every month (00:00 UTC of its first day),
-- from opportunity history, never from today's values: one row per month and opportunity that was
-- open then. An opportunity is in the snapshot when the history version in force at that instant
-- (valid_from <= t < valid_to, or the current version) has a stage other than Closed Won or
-- Closed Lost; stage, forecast category, amount, probability and expected close date are those
-- of that version. A later change of the opportunity does not alter an earlier snapshot.
-- Amounts are converted to the reporting currency at the rate of the expected close month (the
-- month the amount would be booked in; the latest month of the FX seed when it lies beyond it),
-- rounded to the cent per opportunity. Read by the pipeline, coverage, velocity and forecast marts.
with opportunity_history as {{ not_materialized() }} (
    select * from {{ ref('stg_salesforce__opportunity_history') }}
),

opportunities as (
    select * from {{ ref('int_opportunities_enriched') }}
),

months as (
    select * from {{ ref('int_months') }}
),

fx_rates as {{ not_materialized() }} (
    select * from {{ ref('int_fx_rates_monthly') }}
),

last_fx_month as (
    select max(month) as month from fx_rates
),

first_history_month as (
    select cast({{ dbt.date_trunc('month', 'min(valid_from)') }} as date) as month
    from opportunity_history
),

snapshot_instants as (
    select
        months.month,
        cast(months.month as timestamp) as snapshot_at
    from months
    inner join first_history_month on months.month >= first_history_month.month
),

open_versions as (
    select
        snapshot_instants.month,
        snapshot_instants.snapshot_at,
        opportunity_history.opportunity_id,
        opportunity_history.stage_name,
        opportunity_history.forecast_category,
        opportunity_history.amount,
        opportunity_history.probability_percent,
        opportunity_history.close_date as expected_close_date
    from snapshot_instants
    inner join opportunity_history
        on
            {{ within_validity_range(
                'snapshot_instants.snapshot_at', 'opportunity_history.valid_from', 'opportunity_history.valid_to'
            ) }}
    where opportunity_history.stage_name not in ('Closed Won', 'Closed Lost')
),

valued as (
    select
        open_versions.*,
        opportunities.owner_user_id,
        opportunities.opportunity_type,
        opportunities.sales_channel,
        opportunities.source_channel,
        opportunities.currency_code,
        cast({{ dbt.date_trunc('month', 'open_versions.expected_close_date') }} as date) as expected_close_month
    from open_versions
    -- history of an opportunity that staging rejected or that was deleted has no currency: left out
    inner join opportunities on open_versions.opportunity_id = opportunities.opportunity_id
),

rate_months as (
    select
        valued.*,
        case
            when valued.expected_close_month > last_fx_month.month then last_fx_month.month
            else valued.expected_close_month
        end as rate_month
    from valued
    cross join last_fx_month
),

rated as (
    select
        rate_months.*,
        fx_rates.rate_to_reporting
    from rate_months
    left join fx_rates
        on
            rate_months.currency_code = fx_rates.currency_code
            and rate_months.rate_month = fx_rates.month
),

final as (
    select
        -- ids
        {{ sales_key(['month', 'opportunity_id']) }} as pipeline_month_start_id,
        opportunity_id,
        owner_user_id,

        -- strings
        opportunity_type,
        sales_channel,
        source_channel,
        stage_name,
        forecast_category,
        currency_code,

        -- numerics
        amount,
        probability_percent,
        {{ sales_reporting_amount('amount', 'rate_to_reporting') }} as amount_reporting,
        {{ sales_reporting_amount('amount * probability_percent / 100', 'rate_to_reporting') }}
            as weighted_amount_reporting,

        -- dates
        month,
        expected_close_date,
        expected_close_month,

        -- timestamps
        snapshot_at
    from rated
)

select * from final
