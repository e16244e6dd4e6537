-- Pipeline coverage per rep, measured at the first instant of each month for the month after it:
-- open pipeline amount (as it stood at the month's start, from opportunity history) whose expected
-- close date falls in the next month / the rep's quota for that next month. One row per month and
-- rep with such pipeline or such a quota; a team's or the company's coverage is the sum of the
-- pipeline over the sum of the quota. Reporting currency: pipeline at the expected close month's
-- rate, quota at its month's rate. Null when the quota is missing or zero.
with pipeline as (
    select * from {{ ref('int_pipeline_month_starts') }}
),

quotas as (
    select * from {{ ref('int_rep_quotas_monthly') }}
),

reps as (
    select * from {{ ref('int_users_with_teams') }}
),

months as (
    select * from {{ ref('int_months') }}
),

next_month_pipeline as (
    select
        month,
        owner_user_id,
        count(*) as open_opportunity_count,
        sum(amount_reporting) as pipeline_amount
    from pipeline
    where expected_close_month = cast({{ dbt.dateadd('month', 1, 'month') }} as date)
    group by
        month,
        owner_user_id
),

next_month_quotas as (
    select
        months.month,
        quotas.owner_user_id,
        quotas.quota_amount
    from months
    inner join quotas on quotas.month = cast({{ dbt.dateadd('month', 1, 'months.month') }} as date)
),

combined as (
    select
        coalesce(next_month_pipeline.month, next_month_quotas.month) as month,
        coalesce(next_month_pipeline.owner_user_id, next_month_quotas.owner_user_id) as owner_user_id,
        coalesce(next_month_pipeline.open_opportunity_count, 0) as open_opportunity_count,
        coalesce(next_month_pipeline.pipeline_amount, 0) as pipeline_amount,
        next_month_quotas.quota_amount
    from next_month_pipeline
    full outer join next_month_quotas
        on
            next_month_pipeline.month = next_month_quotas.month
            and next_month_pipeline.owner_user_id = next_month_quotas.owner_user_id
),

final as (
    select
        {{ sales_key(['combined.month', 'combined.owner_user_id']) }} as pipeline_coverage_id,
        combined.month,
        cast({{ dbt.dateadd('month', 1, 'combined.month') }} as date) as coverage_month,
        combined.owner_user_id,
        reps.team,
        cast(combined.open_opportunity_count as bigint) as open_opportunity_count,
        cast(combined.pipeline_amount as decimal(18, 2)) as pipeline_amount,
        cast(combined.quota_amount as decimal(18, 2)) as quota_amount,
        cast(
            cast(combined.pipeline_amount as decimal(28, 6)) / nullif(combined.quota_amount, 0)
            as decimal(18, 6)
        ) as pipeline_coverage
    from combined
    left join reps on combined.owner_user_id = reps.user_id
)

select * from final
