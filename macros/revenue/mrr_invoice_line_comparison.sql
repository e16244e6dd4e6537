{#- The cross-check of MRR against invoices (tests/revenue/assert_mrr_agrees_with_invoice_lines,
    analyses/revenue/mrr_invoice_line_exceptions): for every Stripe customer and month, its MRR
    (int_stripe_customer_mrr_monthly) next to the MRR its invoices bill for the month's measuring
    instant - the non-proration subscription lines of recurring licensed prices whose service
    period covers the instant, on invoices neither draft nor void, each normalised to a month
    like its price, minus the line's share of its invoice's discount (subtotal + tax - total,
    shared out over those lines by amount). Customer-months with a proration line whose service
    period covers the instant are left out: the invoice then bills the old quantity while MRR
    has the new one. A row agrees when the two differ by at most one minor unit of the currency
    (the cent; the yen): each side rounds separately. `reason` names why a row disagrees. The
    discount is widened before it is multiplied by the line amount: two 18-digit decimals' product
    overflowed at scale 100 (a 3.2 M discount on a 31.8 M invoice). -#}
{% macro mrr_invoice_line_comparison() -%}
with customer_mrr as (
    select * from {{ ref('int_stripe_customer_mrr_monthly') }}
),

mrr_months as (
    select * from {{ ref('int_mrr_months') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

invoice_lines as (
    select * from {{ ref('stg_stripe__invoice_line_items') }}
),

invoices as (
    select * from {{ ref('stg_stripe__invoices') }}
),

prices as (
    select * from {{ ref('stg_stripe__prices') }}
),

currencies as (
    select * from {{ ref('currencies') }}
),

recurring_lines as (
    select
        invoice_lines.invoice_line_item_id,
        invoice_lines.invoice_id,
        invoices.customer_id as stripe_customer_id,
        invoice_lines.amount,
        invoice_lines.period_start_at,
        invoice_lines.period_end_at,
        invoices.subtotal + invoices.tax - invoices.total as invoice_discount,
        prices.recurring_interval,
        prices.recurring_interval_count
    from invoice_lines
    inner join invoices on invoice_lines.invoice_id = invoices.invoice_id
    inner join prices on invoice_lines.price_id = prices.price_id
    where
        invoice_lines.line_item_type = 'subscription'
        and not invoice_lines.is_proration
        and prices.price_type = 'recurring'
        and prices.recurring_usage_type = 'licensed'
        and invoices.invoice_status not in ('draft', 'void')
),

invoice_recurring_totals as (
    select
        invoice_id,
        sum(amount) as recurring_amount
    from recurring_lines
    group by invoice_id
),

invoiced as (
    select
        recurring_lines.stripe_customer_id,
        mrr_months.month,
        sum(
            {{ monthly_normalised_amount(
                'recurring_lines.amount - cast(recurring_lines.invoice_discount as ' ~ dbt.type_numeric() ~ ')'
                ~ ' * recurring_lines.amount / invoice_recurring_totals.recurring_amount',
                'recurring_lines.recurring_interval',
                'recurring_lines.recurring_interval_count'
            ) }}
        ) as invoiced_mrr
    from recurring_lines
    inner join invoice_recurring_totals on recurring_lines.invoice_id = invoice_recurring_totals.invoice_id
    inner join mrr_months
        on
            recurring_lines.period_start_at <= mrr_months.measured_at
            and mrr_months.measured_at < recurring_lines.period_end_at
    where invoice_recurring_totals.recurring_amount <> 0
    group by recurring_lines.stripe_customer_id, mrr_months.month
),

prorated as (
    select distinct
        invoices.customer_id as stripe_customer_id,
        mrr_months.month
    from invoice_lines
    inner join invoices on invoice_lines.invoice_id = invoices.invoice_id
    inner join mrr_months
        on
            invoice_lines.period_start_at <= mrr_months.measured_at
            and mrr_months.measured_at < invoice_lines.period_end_at
    where invoice_lines.is_proration
),

compared as (
    select
        customer_mrr.stripe_customer_id,
        customer_mrr.month,
        customer_mrr.currency_code,
        customer_mrr.mrr,
        cast(coalesce(invoiced.invoiced_mrr, 0) as decimal(18, 4)) as invoiced_mrr,
        case when currencies.minor_unit_exponent = 0 then 1.0 else 0.01 end as tolerance,
        customer_mrr.month = as_of.as_of_month as is_as_of_month,
        invoiced.stripe_customer_id is not null as has_invoice_line
    from customer_mrr
    cross join as_of
    left join invoiced
        on
            customer_mrr.stripe_customer_id = invoiced.stripe_customer_id
            and customer_mrr.month = invoiced.month
    left join currencies on customer_mrr.currency_code = currencies.currency_code
    left join prorated
        on
            customer_mrr.stripe_customer_id = prorated.stripe_customer_id
            and customer_mrr.month = prorated.month
    where
        prorated.stripe_customer_id is null
        and (customer_mrr.mrr > 0 or invoiced.invoiced_mrr > 0)
)

select
    stripe_customer_id,
    month,
    currency_code,
    mrr,
    invoiced_mrr,
    mrr - invoiced_mrr as difference,
    tolerance,
    abs(mrr - invoiced_mrr) <= tolerance as is_agreeing,
    case
        when abs(mrr - invoiced_mrr) <= tolerance then null
        when is_as_of_month then 'as-of month: the next period is not invoiced yet'
        when not has_invoice_line then 'no recurring invoice line covers the instant (voided invoice, or not billed yet)'
        when mrr = 0 then 'billed but carries no MRR (unpaid, canceled or trialing at the instant)'
        else 'amounts differ (a discount that started or ended inside the billed period, or another change)'
    end as reason
from compared
{%- endmacro %}
