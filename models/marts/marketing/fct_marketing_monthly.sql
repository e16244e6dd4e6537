-- The monthly marketing KPIs (kpi-definitions section 4). Grain: one row per calendar month of
-- the month spine (int_months). Blended CAC = (ad spend + the month's other sales and marketing
-- costs from the sales_marketing_costs seed, converted at the month's rate) / new customers of the
-- month (customers whose MRR first became positive in it, the MRR home's 'new' movement). CAC
-- payback = blended CAC / (average new-customer MRR x var gross_margin), in months. Sessions,
-- leads, MQLs, conversion and MQL rates, ad delivery and email engagement are the month's totals
-- of the same intermediate rows the per-campaign marts sum; cost per lead = ad spend / leads
-- (every lead's credits sum to 1, so the month's attributed leads are its leads in every model).
-- LTV : CAC = LTV of the month (its home: fct_revenue_monthly, segment 'all') / blended CAC.
-- Ratios are null when the denominator is zero.
with months as (
    select * from {{ ref('int_months') }}
),

ad_spend as (
    select * from {{ ref('int_ad_spend_daily') }}
),

costs as (
    select * from {{ ref('sales_marketing_costs') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_monthly') }}
),

new_customers as (
    select * from {{ ref('int_customers_acquired_monthly') }}
),

sessions as (
    select * from {{ ref('int_web_sessions') }}
),

leads as (
    select * from {{ ref('int_leads_sourced') }}
),

email_engagement as (
    select * from {{ ref('int_email_engagement_aggregated') }}
),

revenue as (
    select * from {{ ref('fct_revenue_monthly') }}
    where
        segment_type = 'all'
        and segment_value = 'all'
),

spend_monthly as (
    select
        month,
        sum(spend) as ad_spend,
        sum(impressions) as impressions,
        sum(clicks) as clicks
    from ad_spend
    group by month
),

costs_monthly as (
    select
        cast(costs.month as date) as month,
        sum(cast(round(costs.amount * fx_rates.rate_to_reporting, 2) as decimal(18, 2))) as other_costs
    from costs
    inner join fx_rates
        on
            cast(costs.month as date) = fx_rates.month
            and costs.currency_code = fx_rates.currency_code
    group by cast(costs.month as date)
),

customers_monthly as (
    select
        month,
        count(*) as new_customers,
        sum(new_mrr) as new_customer_mrr
    from new_customers
    group by month
),

sessions_monthly as (
    select
        session_month as month,
        count(*) as sessions
    from sessions
    group by session_month
),

leads_monthly as (
    select
        lead_month as month,
        count(*) as leads,
        sum(case when is_mql then 1 else 0 end) as mqls
    from leads
    group by lead_month
),

email_monthly as (
    select
        month,
        sum(recipients_delivered) as emails_delivered,
        sum(recipients_opened) as emails_opened,
        sum(recipients_clicked) as emails_clicked
    from email_engagement
    group by month
),

joined as (
    select
        months.month,
        cast(coalesce(spend_monthly.ad_spend, 0) as decimal(18, 2)) as ad_spend,
        cast(coalesce(costs_monthly.other_costs, 0) as decimal(18, 2)) as other_sales_marketing_costs,
        cast(coalesce(customers_monthly.new_customers, 0) as {{ dbt.type_bigint() }}) as new_customers,
        cast(coalesce(customers_monthly.new_customer_mrr, 0) as decimal(18, 2)) as new_customer_mrr,
        cast(coalesce(sessions_monthly.sessions, 0) as {{ dbt.type_bigint() }}) as sessions,
        cast(coalesce(leads_monthly.leads, 0) as {{ dbt.type_bigint() }}) as leads,
        cast(coalesce(leads_monthly.mqls, 0) as {{ dbt.type_bigint() }}) as mqls,
        cast(coalesce(spend_monthly.impressions, 0) as {{ dbt.type_bigint() }}) as impressions,
        cast(coalesce(spend_monthly.clicks, 0) as {{ dbt.type_bigint() }}) as clicks,
        cast(coalesce(email_monthly.emails_delivered, 0) as {{ dbt.type_bigint() }}) as emails_delivered,
        cast(coalesce(email_monthly.emails_opened, 0) as {{ dbt.type_bigint() }}) as emails_opened,
        cast(coalesce(email_monthly.emails_clicked, 0) as {{ dbt.type_bigint() }}) as emails_clicked,
        revenue.ltv
    from months
    left join spend_monthly on months.month = spend_monthly.month
    left join costs_monthly on months.month = costs_monthly.month
    left join customers_monthly on months.month = customers_monthly.month
    left join sessions_monthly on months.month = sessions_monthly.month
    left join leads_monthly on months.month = leads_monthly.month
    left join email_monthly on months.month = email_monthly.month
    left join revenue on months.month = revenue.month
),

cac as (
    select
        *,
        cast(ad_spend + other_sales_marketing_costs as decimal(18, 2)) as sales_marketing_costs,
        (ad_spend + other_sales_marketing_costs) / nullif(new_customers, 0) as cac_blended_unrounded,
        new_customer_mrr / nullif(new_customers, 0) as average_new_customer_mrr_unrounded
    from joined
),

final as (
    select
        month,
        ad_spend,
        other_sales_marketing_costs,
        sales_marketing_costs,
        new_customers,
        new_customer_mrr,
        {{ money_quotient('new_customer_mrr', 'new_customers') }} as average_new_customer_mrr,
        {{ money_quotient('sales_marketing_costs', 'new_customers') }} as cac_blended,
        -- CAC / (average new MRR x margin): the customer counts cancel, leaving an exact quotient.
        case
            when new_customers > 0
                then {{ money_quotient('sales_marketing_costs', 'new_customer_mrr * ' ~ var('gross_margin')) }}
        end as cac_payback_months,
        sessions,
        leads,
        mqls,
        cast(leads / nullif(cast(sessions as decimal(18, 6)), 0) as decimal(18, 6)) as conversion_rate,
        cast(mqls / nullif(cast(leads as decimal(18, 6)), 0) as decimal(18, 6)) as mql_rate,
        {{ money_quotient('ad_spend', 'leads') }} as cost_per_lead,
        impressions,
        clicks,
        cast(clicks / nullif(cast(impressions as decimal(18, 6)), 0) as decimal(18, 6)) as click_through_rate,
        emails_delivered,
        emails_opened,
        emails_clicked,
        cast(emails_opened / nullif(cast(emails_delivered as decimal(18, 6)), 0) as decimal(18, 6)) as email_open_rate,
        cast(emails_clicked / nullif(cast(emails_delivered as decimal(18, 6)), 0) as decimal(18, 6))
            as email_click_rate,
        cast({{ round_double('ltv', 2) }} as decimal(18, 2)) as ltv,
        cast(ltv / nullif(cac_blended_unrounded, 0) as decimal(18, 6)) as ltv_to_cac
    from cac
)

select * from final
