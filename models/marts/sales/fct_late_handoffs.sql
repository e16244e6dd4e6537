-- The manual or late order-to-cash hand-offs, listed by name: one row per closed-won New Business
-- opportunity whose customer has no Stripe subscription starting within 1 day of the close date
-- (int_new_business_handoffs) - the subscription started later ('late'), there is none from the
-- day before the close date on ('missing'), or the account resolves to no customer
-- ('unmatched_customer').
with handoffs as (
    select * from {{ ref('int_new_business_handoffs') }}
    where not is_automated
),

reps as (
    select * from {{ ref('int_users_with_teams') }}
),

final as (
    select
        -- ids
        handoffs.opportunity_id,
        handoffs.account_id,
        handoffs.customer_id,
        handoffs.owner_user_id,

        -- strings
        handoffs.opportunity_name,
        handoffs.account_name,
        reps.user_name as owner_name,
        handoffs.sales_channel,
        handoffs.handoff_status,

        -- numerics
        handoffs.amount_reporting as amount,
        handoffs.close_to_subscription_days,
        handoffs.close_to_first_invoice_days,
        handoffs.close_to_first_payment_days,

        -- dates
        handoffs.close_date,
        handoffs.close_month,

        -- timestamps
        handoffs.first_subscription_started_at,
        handoffs.first_invoice_created_at,
        handoffs.first_payment_at
    from handoffs
    left join reps on handoffs.owner_user_id = reps.user_id
)

select * from final
