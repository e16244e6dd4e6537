-- Pipeline velocity at the first instant of each month, by opportunity type and sales channel
-- with 'all' roll-ups: (open opportunities x average deal size x win rate) / average sales cycle
-- length in days, money (reporting currency) per day. Windows, chosen so that every input was
-- known at the month's start:
--   open opportunities: open in the pipeline at the month's first instant (opportunity history);
--   average deal size, win rate (by count) and average sales cycle (mean whole days, created to
--   close, of won opportunities): the opportunities closed in the var
--   pipeline_velocity_lookback_months (default 12) full months before the month.
-- Null when the window has no closed or no won opportunity, or its average cycle is 0 days.
{%- set lookback_months = var('pipeline_velocity_lookback_months') %}

with pipeline as (
    select * from {{ ref('int_pipeline_month_starts') }}
),

closed_opportunities as (
    select * from {{ ref('int_opportunities_enriched') }}
    where is_closed
),

months as (
    select * from {{ ref('int_months') }}
),

grid as (
    {{ sales_rollup_grid(['opportunity_type', 'sales_channel']) }}
),

open_rolled_up as (
    select
        pipeline.month,
        {{ sales_rollup_value('opportunity_type', 'grid', 'pipeline') }} as opportunity_type,
        {{ sales_rollup_value('sales_channel', 'grid', 'pipeline') }} as sales_channel
    from pipeline
    cross join grid
),

open_counts as (
    select
        month,
        opportunity_type,
        sales_channel,
        count(*) as open_opportunity_count
    from open_rolled_up
    group by
        month,
        opportunity_type,
        sales_channel
),

-- Each closed opportunity falls in the look-back window of the months after its close month.
closed_in_windows as (
    select
        months.month,
        closed_opportunities.is_won,
        closed_opportunities.amount_reporting,
        closed_opportunities.sales_cycle_days,
        {{ sales_rollup_value('opportunity_type', 'grid', 'closed_opportunities') }} as opportunity_type,
        {{ sales_rollup_value('sales_channel', 'grid', 'closed_opportunities') }} as sales_channel
    from closed_opportunities
    inner join months
        on
            closed_opportunities.close_month < months.month
            and closed_opportunities.close_month
            >= cast({{ dbt.dateadd('month', -lookback_months, 'months.month') }} as date)
    cross join grid
),

window_stats as (
    select
        month,
        opportunity_type,
        sales_channel,
        count(*) as closed_count,
        sum(case when is_won then 1 else 0 end) as won_count,
        sum(case when is_won then amount_reporting end) as won_amount,
        sum(case when is_won then sales_cycle_days end) as won_cycle_days
    from closed_in_windows
    group by
        month,
        opportunity_type,
        sales_channel
),

combined as (
    select
        coalesce(open_counts.month, window_stats.month) as month,
        coalesce(open_counts.opportunity_type, window_stats.opportunity_type) as opportunity_type,
        coalesce(open_counts.sales_channel, window_stats.sales_channel) as sales_channel,
        coalesce(open_counts.open_opportunity_count, 0) as open_opportunity_count,
        coalesce(window_stats.closed_count, 0) as closed_count,
        coalesce(window_stats.won_count, 0) as won_count,
        coalesce(window_stats.won_amount, 0) as won_amount,
        coalesce(window_stats.won_cycle_days, 0) as won_cycle_days
    from open_counts
    full outer join window_stats
        on
            open_counts.month = window_stats.month
            and open_counts.opportunity_type = window_stats.opportunity_type
            and open_counts.sales_channel = window_stats.sales_channel
),

rates as (
    select
        *,
        cast(won_amount as decimal(28, 6)) / nullif(won_count, 0) as average_deal_size,
        cast(won_count as decimal(28, 6)) / nullif(closed_count, 0) as win_rate_count,
        cast(won_cycle_days as decimal(28, 6)) / nullif(won_count, 0) as average_sales_cycle_days
    from combined
),

final as (
    select
        {{ sales_key(['month', 'opportunity_type', 'sales_channel']) }} as pipeline_velocity_id,
        month,
        opportunity_type,
        sales_channel,
        cast(open_opportunity_count as bigint) as open_opportunity_count,
        cast(closed_count as bigint) as window_closed_count,
        cast(won_count as bigint) as window_won_count,
        cast(won_amount as decimal(18, 2)) as window_won_amount,
        cast(won_cycle_days as bigint) as window_won_cycle_days,
        {{ money_quotient('won_amount', 'won_count') }} as average_deal_size,
        cast(win_rate_count as decimal(9, 6)) as win_rate_count,
        cast(average_sales_cycle_days as {{ type_double() }}) as average_sales_cycle_days,
        cast(
            open_opportunity_count * average_deal_size * win_rate_count / nullif(average_sales_cycle_days, 0)
            as decimal(18, 2)
        ) as pipeline_velocity
    from rates
)

select * from final
