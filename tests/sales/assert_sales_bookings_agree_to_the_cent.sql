-- Bookings agree to the cent wherever the sales marts show them: per month, the reps' bookings
-- (int_rep_bookings_monthly, read by quota attainment and forecast accuracy), the won amount of
-- fct_closed_opportunities_monthly's total row and the closed-won valuation that the finance
-- marts book (int_opportunities_closed_valued). Fails with one row per month that disagrees.
with rep_bookings as (
    select
        month,
        sum(bookings_amount) as amount
    from {{ ref('int_rep_bookings_monthly') }}
    group by month
),

closed_totals as (
    select
        month,
        won_amount as amount
    from {{ ref('fct_closed_opportunities_monthly') }}
    where opportunity_type = 'all' and sales_channel = 'all' and source_channel = 'all'
),

valued as (
    select
        close_month as month,
        sum(amount_reporting) as amount
    from {{ ref('int_opportunities_closed_valued') }}
    where is_won
    group by close_month
)

select
    coalesce(valued.month, rep_bookings.month, closed_totals.month) as month,
    valued.amount as valued_amount,
    rep_bookings.amount as rep_bookings_amount,
    closed_totals.amount as closed_won_amount
from valued
full outer join rep_bookings on valued.month = rep_bookings.month
full outer join closed_totals on coalesce(valued.month, rep_bookings.month) = closed_totals.month
where
    coalesce(valued.amount, 0) <> coalesce(rep_bookings.amount, 0)
    or coalesce(valued.amount, 0) <> coalesce(closed_totals.amount, 0)
