-- One row per closed-won New Business opportunity: its booking (amount, in the deal's currency)
-- next to the first-year value of the Stripe subscription it created, and whether the two agree.
-- The subscription is the customer's (customer_id of the opportunity's account) first one starting
-- within var bookings_billing_window_days days after the close date (whole calendar days, both ends
-- included). Its first-year value = 12 x its first full month's recurring value (the licensed,
-- non-proration lines of its first finalized invoice with such lines, each normalised to a month by
-- its price's interval, before discounts and tax, in the invoice's currency) + the one-time fees
-- (invoice items, one_time prices) invoiced to the customer in the window. They agree when
-- |amount - first-year value| <= var bookings_billing_tolerance x amount. Every other row carries
-- the first reason found, in this order: late_hand_off (a subscription started only after the
-- window), pending_hand_off (none yet, and the window has not ended by the as-of day),
-- no_billing_customer, no_subscription, no_recurring_invoice, currency_mismatch, multi_year_term
-- (a term over 12 months whose booked first-year value agrees), overlapping_deals (another won
-- New Business deal of the customer closed within the window), coupon, unexplained.
-- int_bookings_vs_billing_exceptions lists them.
{%- set window_days = var('bookings_billing_window_days') %}
{%- set tolerance = var('bookings_billing_tolerance') %}

with bookings as (
    select * from {{ ref('int_opportunities_closed_valued') }}
    where is_won and opportunity_type = 'New Business'
),

identities as {{ not_materialized() }} (
    select * from {{ ref('dim_customer_identities') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

subscription_history as (
    select * from {{ ref('stg_stripe__subscription_history') }}
),

invoices as {{ not_materialized() }} (
    select * from {{ ref('int_invoices_enriched') }}
),

invoice_line_items as {{ not_materialized() }} (
    select * from {{ ref('stg_stripe__invoice_line_items') }}
),

prices as {{ not_materialized() }} (
    select * from {{ ref('stg_stripe__prices') }}
),

discounts as (
    select * from {{ ref('stg_stripe__discounts') }}
),

deal_customers as (
    select
        bookings.opportunity_id,
        bookings.close_date,
        bookings.currency_code,
        bookings.amount,
        bookings.first_year_value,
        bookings.effective_term_months,
        bookings.sales_channel,
        account_identities.customer_id
    from bookings
    left join identities as account_identities
        on
            account_identities.source_table = 'raw_salesforce.account'
            and bookings.account_id = account_identities.source_id
),

deal_stripe_customers as (
    select
        deal_customers.opportunity_id,
        stripe_identities.source_id as stripe_customer_id
    from deal_customers
    inner join identities as stripe_identities
        on
            stripe_identities.source_table = 'raw_stripe.customer'
            and deal_customers.customer_id = stripe_identities.customer_id
),

stripe_customer_counts as (
    select
        opportunity_id,
        count(*) as stripe_customers
    from deal_stripe_customers
    group by opportunity_id
),

overlapping_deals as (
    -- other won New Business deals of the same customer closed within the window of this one: their
    -- subscriptions and one-time fees cannot be told apart from this deal's
    select
        deal_customers.opportunity_id,
        count(*) as overlapping_deals
    from deal_customers
    inner join deal_customers as other_deals
        on
            deal_customers.customer_id = other_deals.customer_id
            and deal_customers.opportunity_id != other_deals.opportunity_id
    where
        {{ dbt.datediff('deal_customers.close_date', 'other_deals.close_date', 'day') }}
        between -{{ window_days }} and {{ window_days }}
    group by deal_customers.opportunity_id
),

subscriptions as (
    select
        subscription_id,
        customer_id as stripe_customer_id,
        min(started_at) as started_at
    from subscription_history
    group by subscription_id, customer_id
),

candidate_subscriptions as (
    select
        deal_stripe_customers.opportunity_id,
        subscriptions.subscription_id,
        subscriptions.stripe_customer_id,
        subscriptions.started_at,
        {{ dbt.datediff('deal_customers.close_date', 'cast(subscriptions.started_at as date)', 'day') }}
            as days_after_close
    from deal_stripe_customers
    inner join deal_customers
        on deal_stripe_customers.opportunity_id = deal_customers.opportunity_id
    inner join subscriptions
        on deal_stripe_customers.stripe_customer_id = subscriptions.stripe_customer_id
    where cast(subscriptions.started_at as date) >= deal_customers.close_date
),

ranked_subscriptions as (
    select
        *,
        row_number() over (
            partition by opportunity_id
            order by started_at, subscription_id
        ) as start_rank
    from candidate_subscriptions
    where days_after_close <= {{ window_days }}
),

later_subscriptions as (
    select
        opportunity_id,
        min(days_after_close) as first_later_start_days
    from candidate_subscriptions
    where days_after_close > {{ window_days }}
    group by opportunity_id
),

licensed_lines as (
    select
        invoices.subscription_id,
        invoices.invoice_id,
        invoices.finalized_at,
        invoices.currency_code,
        -- one period's amount normalised to a month (kpi-definitions.md, MRR of a subscription item)
        case prices.recurring_interval
            when 'month'
                then {{ decimal_ratio('invoice_line_items.amount', 'prices.recurring_interval_count') }}
            when 'year'
                then {{ decimal_ratio('invoice_line_items.amount', '12 * prices.recurring_interval_count') }}
            when 'week'
                then {{ decimal_ratio('invoice_line_items.amount * 52', '12 * prices.recurring_interval_count') }}
            when 'day'
                then {{ decimal_ratio('invoice_line_items.amount * 365', '12 * prices.recurring_interval_count') }}
        end as monthly_value
    from invoice_line_items
    inner join invoices
        on invoice_line_items.invoice_id = invoices.invoice_id
    inner join prices
        on invoice_line_items.price_id = prices.price_id
    where
        invoices.finalized_at is not null
        and invoice_line_items.line_item_type = 'subscription'
        and not invoice_line_items.is_proration
        and prices.price_type = 'recurring'
        and prices.recurring_usage_type = 'licensed'
),

recurring_invoices as (
    select
        subscription_id,
        invoice_id,
        finalized_at,
        currency_code,
        sum(monthly_value) as monthly_value,
        row_number() over (
            partition by subscription_id
            order by finalized_at, invoice_id
        ) as invoice_rank
    from licensed_lines
    group by subscription_id, invoice_id, finalized_at, currency_code
),

one_time_fees as (
    select
        deal_customers.opportunity_id,
        sum(invoice_line_items.amount) as one_time_fees_billed
    from deal_customers
    inner join deal_stripe_customers
        on deal_customers.opportunity_id = deal_stripe_customers.opportunity_id
    inner join invoices
        on deal_stripe_customers.stripe_customer_id = invoices.stripe_customer_id
    inner join invoice_line_items
        on invoices.invoice_id = invoice_line_items.invoice_id
    left join prices
        on invoice_line_items.price_id = prices.price_id
    where
        invoices.finalized_at is not null
        and (invoice_line_items.line_item_type = 'invoiceitem' or prices.price_type = 'one_time')
        and cast(invoices.created_at as date) >= deal_customers.close_date
        and {{ dbt.datediff('deal_customers.close_date', 'cast(invoices.created_at as date)', 'day') }}
        <= {{ window_days }}
    group by deal_customers.opportunity_id
),

subscription_discounts as (
    -- coupons on the subscription, or on its customer as a whole, in force when it started
    select
        ranked_subscriptions.opportunity_id,
        min(discounts.coupon_id) as coupon_id
    from ranked_subscriptions
    inner join discounts
        on
            ranked_subscriptions.stripe_customer_id = discounts.customer_id
            and (
                ranked_subscriptions.subscription_id = discounts.subscription_id
                or discounts.subscription_id is null
            )
            -- in force when it started (a discount created with the subscription may land a moment later)
            and discounts.start_at <= {{ dbt.dateadd('day', 1, 'ranked_subscriptions.started_at') }}
            and (discounts.end_at is null or ranked_subscriptions.started_at < discounts.end_at)
    where ranked_subscriptions.start_rank = 1
    group by ranked_subscriptions.opportunity_id
),

compared as (
    select
        deal_customers.opportunity_id,
        deal_customers.customer_id,
        deal_customers.sales_channel,
        deal_customers.close_date,
        deal_customers.currency_code,
        deal_customers.amount,
        deal_customers.first_year_value,
        deal_customers.effective_term_months,
        ranked_subscriptions.subscription_id,
        ranked_subscriptions.started_at as subscription_started_at,
        ranked_subscriptions.days_after_close,
        later_subscriptions.first_later_start_days,
        recurring_invoices.invoice_id as first_recurring_invoice_id,
        recurring_invoices.currency_code as billing_currency_code,
        recurring_invoices.monthly_value as first_month_recurring_value,
        coalesce(one_time_fees.one_time_fees_billed, 0) as one_time_fees_billed,
        subscription_discounts.coupon_id,
        coalesce(stripe_customer_counts.stripe_customers, 0) as stripe_customers,
        coalesce(overlapping_deals.overlapping_deals, 0) as overlapping_deals,
        {{ dbt.datediff('deal_customers.close_date', 'as_of.as_of_date', 'day') }}
            as days_to_as_of
    from deal_customers
    cross join as_of
    left join stripe_customer_counts
        on deal_customers.opportunity_id = stripe_customer_counts.opportunity_id
    left join overlapping_deals
        on deal_customers.opportunity_id = overlapping_deals.opportunity_id
    left join ranked_subscriptions
        on
            deal_customers.opportunity_id = ranked_subscriptions.opportunity_id
            and ranked_subscriptions.start_rank = 1
    left join later_subscriptions
        on deal_customers.opportunity_id = later_subscriptions.opportunity_id
    left join recurring_invoices
        on
            ranked_subscriptions.subscription_id = recurring_invoices.subscription_id
            and recurring_invoices.invoice_rank = 1
    left join one_time_fees
        on deal_customers.opportunity_id = one_time_fees.opportunity_id
    left join subscription_discounts
        on deal_customers.opportunity_id = subscription_discounts.opportunity_id
),

valued as (
    select
        *,
        12 * first_month_recurring_value + one_time_fees_billed as billing_first_year_value_unrounded
    from compared
),

classified as (
    select
        *,
        case
            when subscription_id is null and first_later_start_days is not null then 'late_hand_off'
            -- the window has not ended by the as-of day: a hand-off may still come
            when subscription_id is null and days_to_as_of < {{ window_days }} then 'pending_hand_off'
            when stripe_customers = 0 then 'no_billing_customer'
            when subscription_id is null then 'no_subscription'
            when first_recurring_invoice_id is null then 'no_recurring_invoice'
            when billing_currency_code != currency_code then 'currency_mismatch'
            when
                abs(amount - billing_first_year_value_unrounded) <= {{ tolerance }} * abs(amount)
                then 'agrees'
            when
                effective_term_months > 12
                and abs(first_year_value - billing_first_year_value_unrounded)
                <= {{ tolerance }} * abs(first_year_value)
                then 'multi_year_term'
            when overlapping_deals > 0 then 'overlapping_deals'
            when coupon_id is not null then 'coupon'
            else 'unexplained'
        end as comparison_status
    from valued
),

final as (
    select
        -- ids
        opportunity_id,
        customer_id,
        subscription_id,
        first_recurring_invoice_id,
        coupon_id,

        -- strings
        sales_channel,
        currency_code,
        billing_currency_code,
        comparison_status,

        -- numerics
        amount as booked_amount,
        first_year_value as booked_first_year_value,
        effective_term_months,
        cast(stripe_customers as bigint) as stripe_customers,
        cast(overlapping_deals as bigint) as overlapping_deals,
        days_after_close,
        first_later_start_days,
        cast(round(first_month_recurring_value, 2) as decimal(18, 2)) as first_month_recurring_value,
        cast(one_time_fees_billed as decimal(18, 2)) as one_time_fees_billed,
        cast(round(billing_first_year_value_unrounded, 2) as decimal(18, 2)) as billing_first_year_value,
        cast(round(amount - billing_first_year_value_unrounded, 2) as decimal(18, 2)) as difference,
        cast({{ decimal_ratio('amount - billing_first_year_value_unrounded', 'amount') }} as decimal(18, 6))
            as relative_difference,

        -- booleans
        comparison_status = 'agrees' as is_in_agreement,

        -- dates
        close_date,

        -- timestamps
        subscription_started_at
    from classified
)

select * from final
