-- Win rate and sales cycle length (kpi-definitions section 3) by close month, opportunity type,
-- sales channel and source channel, with 'all' rows for every roll-up of those three (so totals
-- have true medians). Every opportunity type counts (expansions and renewals too: they are outside
-- the lead funnel, not outside win rate). Amounts in the reporting currency at the close month's
-- rate. One row per month and segment with at least one closed opportunity.
--   win rate = won / (won + lost) opportunities closed in the month, by count and by amount;
--   sales cycle = whole calendar days from creation to close date, over won opportunities;
--   lead-to-close = whole calendar days from the lead's creation to close date, over won
--   opportunities born from a lead.
with opportunities as (
    select * from {{ ref('int_opportunities_enriched') }}
    where is_closed
),

grid as (
    {{ sales_rollup_grid(['opportunity_type', 'sales_channel', 'source_channel']) }}
),

rolled_up as (
    select
        opportunities.close_month,
        opportunities.is_won,
        opportunities.is_lost,
        opportunities.amount_reporting,
        opportunities.sales_cycle_days,
        opportunities.lead_to_close_days,
        {{ sales_rollup_value('opportunity_type', 'grid', 'opportunities') }} as opportunity_type,
        {{ sales_rollup_value('sales_channel', 'grid', 'opportunities') }} as sales_channel,
        {{ sales_rollup_value('source_channel', 'grid', 'opportunities') }} as source_channel
    from opportunities
    cross join grid
),

aggregated as (
    select
        close_month,
        opportunity_type,
        sales_channel,
        source_channel,
        sum(case when is_won then 1 else 0 end) as won_count,
        sum(case when is_lost then 1 else 0 end) as lost_count,
        sum(case when is_won then amount_reporting else 0 end) as won_amount,
        sum(case when is_lost then amount_reporting else 0 end) as lost_amount,
        avg(case when is_won then cast(sales_cycle_days as {{ type_double() }}) end) as mean_sales_cycle_days,
        {{ sales_median('case when is_won then sales_cycle_days end') }} as median_sales_cycle_days,
        sum(case when is_won and lead_to_close_days is not null then 1 else 0 end) as won_from_lead_count,
        avg(case when is_won then cast(lead_to_close_days as {{ type_double() }}) end) as mean_lead_to_close_days,
        {{ sales_median('case when is_won then lead_to_close_days end') }} as median_lead_to_close_days
    from rolled_up
    group by
        close_month,
        opportunity_type,
        sales_channel,
        source_channel
),

final as (
    select
        {{ sales_key(['close_month', 'opportunity_type', 'sales_channel', 'source_channel']) }}
            as closed_opportunity_month_id,
        close_month as month,
        opportunity_type,
        sales_channel,
        source_channel,
        cast(won_count as bigint) as won_count,
        cast(lost_count as bigint) as lost_count,
        cast(won_count + lost_count as bigint) as closed_count,
        cast(won_amount as decimal(18, 2)) as won_amount,
        cast(lost_amount as decimal(18, 2)) as lost_amount,
        cast(cast(won_count as decimal(18, 6)) / nullif(won_count + lost_count, 0) as decimal(9, 6))
            as win_rate_count,
        cast(cast(won_amount as decimal(28, 6)) / nullif(won_amount + lost_amount, 0) as decimal(9, 6))
            as win_rate_amount,
        cast(mean_sales_cycle_days as {{ type_double() }}) as mean_sales_cycle_days,
        cast(median_sales_cycle_days as {{ type_double() }}) as median_sales_cycle_days,
        cast(won_from_lead_count as bigint) as won_from_lead_count,
        cast(mean_lead_to_close_days as {{ type_double() }}) as mean_lead_to_close_days,
        cast(median_lead_to_close_days as {{ type_double() }}) as median_lead_to_close_days
    from aggregated
)

select * from final
