-- Open pipeline by stage and forecast category as it stood at the first instant of each month
-- (from opportunity history, never today's values): one row per month, stage, forecast category,
-- opportunity type and sales channel with open opportunities then. Amounts in the reporting
-- currency at the rate of each opportunity's expected close month (int_pipeline_month_starts).
with pipeline as (
    select * from {{ ref('int_pipeline_month_starts') }}
),

final as (
    select
        {{ sales_key(['month', 'stage_name', 'forecast_category', 'opportunity_type', 'sales_channel']) }}
            as pipeline_snapshot_id,
        month,
        min(snapshot_at) as snapshot_at,
        stage_name,
        forecast_category,
        opportunity_type,
        sales_channel,
        cast(count(*) as bigint) as open_opportunity_count,
        cast(sum(amount_reporting) as decimal(18, 2)) as pipeline_amount,
        cast(sum(weighted_amount_reporting) as decimal(18, 2)) as weighted_pipeline_amount
    from pipeline
    group by
        month,
        stage_name,
        forecast_category,
        opportunity_type,
        sales_channel
)

select * from final
