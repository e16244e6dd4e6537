-- A number two marketing marts both show agrees to the cent (kpi-definitions: one definition,
-- one grain, one home): per month, ad spend in fct_marketing_monthly = the sum of
-- fct_ad_spend_daily = of fct_marketing_campaigns_monthly = of fct_marketing_channels_monthly =
-- of fct_marketing_attribution_monthly in every model; sessions, leads and MQLs in
-- fct_marketing_monthly = the sums of fct_marketing_campaigns_monthly; new customers in
-- fct_marketing_monthly = the sum of fct_marketing_channels_monthly and = the 'new' movements of
-- fct_mrr_movements. Returns one row per month and figure that disagrees.
with monthly as (
    select * from {{ ref('fct_marketing_monthly') }}
),

daily_spend as (
    select
        month,
        sum(spend) as spend
    from {{ ref('fct_ad_spend_daily') }}
    group by month
),

campaigns as (
    select
        month,
        sum(spend) as spend,
        sum(sessions) as sessions,
        sum(leads) as leads,
        sum(mqls) as mqls
    from {{ ref('fct_marketing_campaigns_monthly') }}
    group by month
),

channels as (
    select
        month,
        sum(spend) as spend,
        sum(new_customers) as new_customers
    from {{ ref('fct_marketing_channels_monthly') }}
    group by month
),

attribution as (
    select
        month,
        attribution_model,
        sum(spend) as spend
    from {{ ref('fct_marketing_attribution_monthly') }}
    group by month, attribution_model
),

mrr_new as (
    select
        month,
        count(*) as new_customers
    from {{ ref('fct_mrr_movements') }}
    where movement_type = 'new'
    group by month
),

comparisons as (
    select
        monthly.month,
        'spend: daily' as figure,
        monthly.ad_spend as mart_value,
        coalesce(daily_spend.spend, 0) as other_value
    from monthly left join daily_spend on monthly.month = daily_spend.month
    union all
    select
        monthly.month,
        'spend: campaigns' as figure,
        monthly.ad_spend as mart_value,
        coalesce(campaigns.spend, 0) as other_value
    from monthly left join campaigns on monthly.month = campaigns.month
    union all
    select
        monthly.month,
        'spend: channels' as figure,
        monthly.ad_spend as mart_value,
        coalesce(channels.spend, 0) as other_value
    from monthly left join channels on monthly.month = channels.month
    union all
    select
        attribution.month,
        'spend: attribution ' || attribution.attribution_model as figure,
        monthly.ad_spend as mart_value,
        attribution.spend as other_value
    from attribution inner join monthly on attribution.month = monthly.month
    union all
    select
        monthly.month,
        'sessions' as figure,
        monthly.sessions as mart_value,
        coalesce(campaigns.sessions, 0) as other_value
    from monthly left join campaigns on monthly.month = campaigns.month
    union all
    select
        monthly.month,
        'leads' as figure,
        monthly.leads as mart_value,
        coalesce(campaigns.leads, 0) as other_value
    from monthly left join campaigns on monthly.month = campaigns.month
    union all
    select
        monthly.month,
        'mqls' as figure,
        monthly.mqls as mart_value,
        coalesce(campaigns.mqls, 0) as other_value
    from monthly left join campaigns on monthly.month = campaigns.month
    union all
    select
        monthly.month,
        'new customers: channels' as figure,
        monthly.new_customers as mart_value,
        coalesce(channels.new_customers, 0) as other_value
    from monthly left join channels on monthly.month = channels.month
    union all
    select
        monthly.month,
        'new customers: fct_mrr_movements' as figure,
        monthly.new_customers as mart_value,
        coalesce(mrr_new.new_customers, 0) as other_value
    from monthly left join mrr_new on monthly.month = mrr_new.month
),

final as (
    select * from comparisons
    where mart_value <> other_value
)

select * from final
