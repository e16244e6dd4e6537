-- One row per closed-won New Business opportunity whose booking does not agree with the first-year
-- value of the subscription it created (int_bookings_vs_billing_compared), with the reason in words.
-- Explained reasons are business as usual (a forever coupon booked net but invoiced gross, a
-- multi-year contract booked at its total value, a hand-off to billing later than the window or
-- still to come, two deals of one customer at once, a trial that lapsed before its first invoice);
-- the others (is_explained false) are the ones to investigate, and the data test
-- assert_bookings_agree_with_billing fails when they are too many.
with compared as (
    select * from {{ ref('int_bookings_vs_billing_compared') }}
    where not is_in_agreement
),

final as (
    select
        -- ids
        opportunity_id,
        customer_id,
        subscription_id,
        coupon_id,

        -- strings
        comparison_status as exception_reason,
        case comparison_status
            when 'pending_hand_off'
                then 'Closed less than the window before the as-of day: the subscription may still come.'
            when 'overlapping_deals'
                then 'Another New Business deal of the customer closed within the window: billing mixes the two.'
            when 'no_billing_customer'
                then 'The account resolves to no Stripe customer: never handed to billing, or not linked.'
            when 'late_hand_off'
                then 'The first subscription after the close started after the window: a late hand-off.'
            when 'no_subscription'
                then 'No subscription of the customer started on or after the close date.'
            when 'no_recurring_invoice'
                then 'No finalized recurring invoice yet: a trial that lapsed, or a first invoice to come.'
            when 'currency_mismatch'
                then 'The subscription is billed in another currency than the deal was booked in.'
            when 'multi_year_term'
                then 'Multi-year contract: booked at its total value; its booked first-year value agrees.'
            when 'coupon'
                then 'A coupon applies: invoice lines are priced before it, the booking after it.'
            else 'No known reason: check the amount, the subscription items and their prices.'
        end as exception_explanation,
        sales_channel,
        currency_code,
        billing_currency_code,

        -- numerics
        booked_amount,
        booked_first_year_value,
        billing_first_year_value,
        difference,
        relative_difference,
        effective_term_months,
        days_after_close,
        first_later_start_days,

        -- booleans
        -- a business reason that the data shows; the other rows (no billing customer, no subscription,
        -- another currency, no reason) may as well be a broken link or conversion
        comparison_status in (
            'multi_year_term', 'coupon', 'late_hand_off', 'pending_hand_off', 'overlapping_deals',
            'no_recurring_invoice'
        ) as is_explained,

        -- dates
        close_date
    from compared
)

select * from final
