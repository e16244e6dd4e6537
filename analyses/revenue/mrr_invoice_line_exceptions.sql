-- The Stripe customer-months whose MRR disagrees with their recurring invoice lines by more than
-- one minor unit, with the likely reason (macros/revenue/mrr_invoice_line_comparison.sql).
-- `dbt compile -s mrr_invoice_line_exceptions` and run the compiled SQL to list them.
with comparison as (
    {{ mrr_invoice_line_comparison() }}
)

select *
from comparison
where not is_agreeing
order by month, stripe_customer_id
