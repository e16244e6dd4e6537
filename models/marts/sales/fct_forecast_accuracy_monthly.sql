-- Forecast accuracy per rep and month: 1 - abs(forecast - actual bookings) / actual bookings, for
-- two forecasts taken from the pipeline as it stood at the month's first instant (opportunity
-- history, never today's values), counting the rep's open opportunities whose expected close date
-- then fell in the month:
--   commit forecast = amount of those in forecast category Commit;
--   weighted forecast = amount x probability of all of them.
-- Actual bookings = the rep's closed-won amount in the month by close date (int_rep_bookings_monthly,
-- every type, deals created during the month included). Reporting currency at the close month's
-- rate. One row per month and rep with a forecast or bookings; accuracy is null without bookings
-- (a zero denominator) and can be negative when the forecast is off by more than the bookings.
with pipeline as (
    select * from {{ ref('int_pipeline_month_starts') }}
),

bookings as (
    select * from {{ ref('int_rep_bookings_monthly') }}
),

reps as (
    select * from {{ ref('int_users_with_teams') }}
),

forecasts as (
    select
        month,
        owner_user_id,
        sum(case when forecast_category = 'Commit' then 1 else 0 end) as commit_opportunity_count,
        sum(case when forecast_category = 'Commit' then amount_reporting else 0 end) as commit_forecast_amount,
        count(*) as forecast_opportunity_count,
        sum(weighted_amount_reporting) as weighted_forecast_amount
    from pipeline
    where expected_close_month = month
    group by
        month,
        owner_user_id
),

combined as (
    select
        coalesce(forecasts.month, bookings.month) as month,
        coalesce(forecasts.owner_user_id, bookings.owner_user_id) as owner_user_id,
        coalesce(forecasts.commit_opportunity_count, 0) as commit_opportunity_count,
        coalesce(forecasts.commit_forecast_amount, 0) as commit_forecast_amount,
        coalesce(forecasts.forecast_opportunity_count, 0) as forecast_opportunity_count,
        coalesce(forecasts.weighted_forecast_amount, 0) as weighted_forecast_amount,
        coalesce(bookings.won_opportunity_count, 0) as won_opportunity_count,
        coalesce(bookings.bookings_amount, 0) as bookings_amount
    from forecasts
    full outer join bookings
        on
            forecasts.month = bookings.month
            and forecasts.owner_user_id = bookings.owner_user_id
),

final as (
    select
        {{ sales_key(['combined.month', 'combined.owner_user_id']) }} as forecast_accuracy_id,
        combined.month,
        combined.owner_user_id,
        reps.team,
        cast(combined.commit_opportunity_count as bigint) as commit_opportunity_count,
        cast(combined.commit_forecast_amount as decimal(18, 2)) as commit_forecast_amount,
        cast(combined.forecast_opportunity_count as bigint) as forecast_opportunity_count,
        cast(combined.weighted_forecast_amount as decimal(18, 2)) as weighted_forecast_amount,
        cast(combined.won_opportunity_count as bigint) as won_opportunity_count,
        cast(combined.bookings_amount as decimal(18, 2)) as bookings_amount,
        cast(
            1 - abs(combined.commit_forecast_amount - combined.bookings_amount)
            / nullif(cast(combined.bookings_amount as decimal(28, 6)), 0)
            as decimal(18, 6)
        ) as forecast_accuracy_commit,
        cast(
            1 - abs(combined.weighted_forecast_amount - combined.bookings_amount)
            / nullif(cast(combined.bookings_amount as decimal(28, 6)), 0)
            as decimal(18, 6)
        ) as forecast_accuracy_weighted
    from combined
    left join reps on combined.owner_user_id = reps.user_id
)

select * from final
