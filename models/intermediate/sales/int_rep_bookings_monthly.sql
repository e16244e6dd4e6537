-- Bookings per rep and month: the amount of the opportunities that the rep owns and that became
-- closed-won in the month (by close date), every opportunity type, in the reporting currency at
-- the close month's rate. One row per month and rep with at least one win. The one computation of
-- bookings per rep, read by quota attainment and forecast accuracy.
with opportunities as (
    select * from {{ ref('int_opportunities_enriched') }}
    where is_won
),

final as (
    select
        {{ sales_key(['close_month', 'owner_user_id']) }} as rep_booking_month_id,
        owner_user_id,
        close_month as month,
        cast(count(*) as bigint) as won_opportunity_count,
        cast(sum(amount_reporting) as decimal(18, 2)) as bookings_amount
    from opportunities
    group by
        close_month,
        owner_user_id
)

select * from final
