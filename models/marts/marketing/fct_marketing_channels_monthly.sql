-- Paid CAC by acquisition channel (kpi-definitions section 4: CAC paid = channel spend / new
-- customers attributed to the channel). Grain: one row per month and acquisition channel with
-- ad spend or new customers. New customers are customers whose MRR first became positive in the
-- month (int_customers_acquired_monthly), attributed to their acquisition channel (the channel of
-- the lead that first converted into them); spend is the ad spend of the platforms whose spend
-- belongs to the channel (var ad_platforms). CAC paid is computed for the channels that carry ad
-- spend, null for the others (they have no paid media cost to divide) and when the month has no
-- new customer of the channel.
{%- set paid_channels = var('ad_platforms').values() | map(attribute='channel') | unique | list %}

with ad_spend as (
    select * from {{ ref('int_ad_spend_daily') }}
),

new_customers as (
    select * from {{ ref('int_customers_acquired_monthly') }}
),

spend_sums as (
    select
        month,
        channel,
        sum(spend) as spend,
        0 as new_customers,
        cast(0 as decimal(18, 2)) as new_customer_mrr
    from ad_spend
    group by month, channel
),

customer_counts as (
    select
        month,
        acquisition_channel as channel,
        cast(0 as decimal(18, 2)) as spend,
        count(*) as new_customers,
        sum(new_mrr) as new_customer_mrr
    from new_customers
    group by month, acquisition_channel
),

unioned as (
    select * from spend_sums
    union all
    select * from customer_counts
),

summed as (
    select
        month,
        channel,
        cast(sum(spend) as decimal(18, 2)) as spend,
        cast(sum(new_customers) as {{ dbt.type_bigint() }}) as new_customers,
        cast(sum(new_customer_mrr) as decimal(18, 2)) as new_customer_mrr
    from unioned
    group by month, channel
),

final as (
    select
        {{ dbt.concat(["cast(month as " ~ dbt.type_string() ~ ")", "'|'", "channel"]) }}
            as marketing_channel_month_id,
        month,
        channel,
        channel in ({{ quoted_list(paid_channels) }}) as is_paid_channel,
        spend,
        new_customers,
        new_customer_mrr,
        case
            when channel in ({{ quoted_list(paid_channels) }})
                then {{ money_quotient('spend', 'new_customers') }}
        end as cac_paid
    from summed
)

select * from final
