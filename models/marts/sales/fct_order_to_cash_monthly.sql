-- Order-to-cash automation by close month and sales channel (with sales_channel 'all' for the
-- total): of the closed-won New Business opportunities, the share whose customer has a Stripe
-- subscription starting within 1 day of the close date (int_new_business_handoffs); and the median
-- whole days from the close date to the customer's first invoice and first payment. The others
-- are listed by name in fct_late_handoffs. One row per month and channel with such a win.
with handoffs as (
    select * from {{ ref('int_new_business_handoffs') }}
),

grid as (
    {{ sales_rollup_grid(['sales_channel']) }}
),

rolled_up as (
    select
        handoffs.close_month,
        handoffs.is_automated,
        handoffs.close_to_first_invoice_days,
        handoffs.close_to_first_payment_days,
        {{ sales_rollup_value('sales_channel', 'grid', 'handoffs') }} as sales_channel
    from handoffs
    cross join grid
),

aggregated as (
    select
        close_month,
        sales_channel,
        count(*) as won_new_business_count,
        sum(case when is_automated then 1 else 0 end) as automated_count,
        count(close_to_first_invoice_days) as invoiced_count,
        {{ sales_median('close_to_first_invoice_days') }} as median_close_to_first_invoice_days,
        count(close_to_first_payment_days) as paid_count,
        {{ sales_median('close_to_first_payment_days') }} as median_close_to_first_payment_days
    from rolled_up
    group by
        close_month,
        sales_channel
),

final as (
    select
        {{ sales_key(['close_month', 'sales_channel']) }} as order_to_cash_month_id,
        close_month as month,
        sales_channel,
        cast(won_new_business_count as bigint) as won_new_business_count,
        cast(automated_count as bigint) as automated_count,
        cast(won_new_business_count - automated_count as bigint) as late_handoff_count,
        cast(
            cast(automated_count as decimal(18, 6)) / nullif(won_new_business_count, 0)
            as decimal(9, 6)
        ) as order_to_cash_automation_rate,
        cast(invoiced_count as bigint) as invoiced_count,
        cast(median_close_to_first_invoice_days as {{ type_double() }}) as median_close_to_first_invoice_days,
        cast(paid_count as bigint) as paid_count,
        cast(median_close_to_first_payment_days as {{ type_double() }}) as median_close_to_first_payment_days
    from aggregated
)

select * from final
