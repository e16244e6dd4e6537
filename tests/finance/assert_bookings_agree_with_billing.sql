-- Bookings of won New Business deals agree with the first-year value of the Stripe subscriptions
-- they created, within var bookings_billing_tolerance (int_bookings_vs_billing_compared; the
-- disagreeing deals are listed with their reason in int_bookings_vs_billing_exceptions).
-- Fails (one row) when, among those deals, the share of exceptions without a business explanation
-- exceeds var bookings_billing_max_unexplained_share, or the share of all exceptions exceeds var
-- bookings_billing_max_exception_share.
-- Why shares and not every deal: a CRM and a billing system kept by different people never agree
-- deal by deal (an amount typed before a last discount, a price changed by hand); one such deal is a
-- list entry for sales operations, not a broken warehouse. A broken conversion, currency or
-- identity link moves many deals at once and crosses a threshold: the unexplained one catches a
-- break that leaves no business reason, the overall one a break that looks like one (every deal
-- "without a recurring invoice" because invoice lines stopped loading).
with exceptions as (
    select * from {{ ref('int_bookings_vs_billing_exceptions') }}
),

compared as (
    select * from {{ ref('int_bookings_vs_billing_compared') }}
),

deal_count as (
    select count(*) as won_new_business_deals from compared
),

exception_counts as (
    select
        count(*) as exception_deals,
        sum(case when is_explained then 0 else 1 end) as unexplained_deals
    from exceptions
),

final as (
    select
        deal_count.won_new_business_deals,
        exception_counts.exception_deals,
        coalesce(exception_counts.unexplained_deals, 0) as unexplained_deals
    from deal_count
    cross join exception_counts
)

select * from final
where
    unexplained_deals > {{ var('bookings_billing_max_unexplained_share') }} * won_new_business_deals
    or exception_deals > {{ var('bookings_billing_max_exception_share') }} * won_new_business_deals
