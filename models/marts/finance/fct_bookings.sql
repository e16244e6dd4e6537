-- One row per closed-won opportunity: a booking, in the month of its close date, with its
-- customer-360 customer_id, type, sales channel, TCV, ACV and first-year value in the deal's
-- currency and in the reporting currency at the close month's rate, and whether it is an in-period
-- booking of its close month, quarter and year. The event-level fact: monthly, quarterly and yearly
-- bookings are sums of its rows by close_date.
with closed_opportunities as (
    select * from {{ ref('int_opportunities_closed_valued') }}
    where is_won
),

in_period_flags as (
    select * from {{ ref('int_bookings_in_period_flagged') }}
),

identities as (
    select * from {{ ref('dim_customer_identities') }}
),

final as (
    select
        -- ids
        closed_opportunities.opportunity_id,
        identities.customer_id,
        closed_opportunities.account_id,
        closed_opportunities.owner_user_id,

        -- strings
        closed_opportunities.opportunity_name,
        closed_opportunities.opportunity_type,
        closed_opportunities.booking_category,
        closed_opportunities.sales_channel,
        closed_opportunities.currency_code,

        -- booleans
        in_period_flags.is_in_period_booking,
        in_period_flags.is_in_period_booking_quarter,
        in_period_flags.is_in_period_booking_year,

        -- dates
        closed_opportunities.close_date,
        closed_opportunities.close_month,

        -- numerics, deal currency
        closed_opportunities.amount,
        closed_opportunities.tcv,
        closed_opportunities.one_time_fees,
        closed_opportunities.contract_term_months,
        closed_opportunities.effective_term_months,
        closed_opportunities.acv,
        closed_opportunities.first_year_value,

        -- numerics, reporting currency at the close month's rate
        closed_opportunities.rate_to_reporting,
        closed_opportunities.amount_reporting,
        closed_opportunities.amount_reporting as tcv_reporting,
        closed_opportunities.one_time_fees_reporting,
        closed_opportunities.acv_reporting,
        closed_opportunities.first_year_value_reporting,

        -- timestamps
        closed_opportunities.created_at
    from closed_opportunities
    left join in_period_flags
        on closed_opportunities.opportunity_id = in_period_flags.opportunity_id
    left join identities
        on
            identities.source_table = 'raw_salesforce.account'
            and closed_opportunities.account_id = identities.source_id
)

select * from final
