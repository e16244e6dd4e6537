-- Quote-to-order rate by month a quote was presented, opportunity type and sales channel:
-- accepted quotes / quotes presented. A quote counts as presented in the month it was created
-- when its status shows it reached the customer (Presented, Accepted or Denied; a Draft never
-- did); accepted = those of them now Accepted. A month's rate is that of its quotes (a cohort),
-- so recent months still have quotes awaiting an answer (open_quote_count). One row per month and
-- segment with presented quotes; quotes of an opportunity that staging rejected are 'unknown'.
with quotes as (
    select * from {{ ref('stg_salesforce__quotes') }}
    where quote_status in ('Presented', 'Accepted', 'Denied')
),

opportunities as (
    select * from {{ ref('stg_salesforce__opportunities') }}
),

presented as (
    select
        quotes.quote_status,
        cast({{ dbt.date_trunc('month', 'quotes.created_at') }} as date) as month,
        coalesce(opportunities.opportunity_type, 'unknown') as opportunity_type,
        coalesce(opportunities.sales_channel, 'unknown') as sales_channel
    from quotes
    left join opportunities on quotes.opportunity_id = opportunities.opportunity_id
),

aggregated as (
    select
        month,
        opportunity_type,
        sales_channel,
        count(*) as presented_quote_count,
        sum(case when quote_status = 'Accepted' then 1 else 0 end) as accepted_quote_count,
        sum(case when quote_status = 'Denied' then 1 else 0 end) as denied_quote_count,
        sum(case when quote_status = 'Presented' then 1 else 0 end) as open_quote_count
    from presented
    group by
        month,
        opportunity_type,
        sales_channel
),

final as (
    select
        {{ sales_key(['month', 'opportunity_type', 'sales_channel']) }} as quote_month_id,
        month,
        opportunity_type,
        sales_channel,
        cast(presented_quote_count as bigint) as presented_quote_count,
        cast(accepted_quote_count as bigint) as accepted_quote_count,
        cast(denied_quote_count as bigint) as denied_quote_count,
        cast(open_quote_count as bigint) as open_quote_count,
        cast(
            cast(accepted_quote_count as decimal(18, 6)) / nullif(presented_quote_count, 0)
            as decimal(9, 6)
        ) as quote_to_order_rate
    from aggregated
)

select * from final
