-- MRR agrees with the recurring invoice lines (macros/revenue/mrr_invoice_line_comparison.sql)
-- within one minor unit for at least 97 % of the Stripe customer-months without a proration in
-- force. Known reasons for a disagreement (a voided invoice, an unpaid subscription whose invoice
-- is still open, a discount ending inside a billed period, the as-of month's next period not yet
-- invoiced) stay below that share; a broken normalisation or discount rule does not. The
-- disagreeing rows are listed by analyses/revenue/mrr_invoice_line_exceptions.sql. Returns one
-- row, failing, when the share is exceeded.
with comparison as (
    {{ mrr_invoice_line_comparison() }}
),

summary as (
    select
        count(*) as customer_months_compared,
        sum(case when is_agreeing then 0 else 1 end) as customer_months_disagreeing
    from comparison
)

select *
from summary
where customer_months_disagreeing > 0.03 * customer_months_compared
