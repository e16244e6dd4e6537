-- The state of every Stripe subscription as it stood at each month's measuring instant
-- (int_mrr_months.measured_at: eom(m), or the as-of instant for the as-of month): the version of
-- stg_stripe__subscription_history in force then (valid_from <= t and (valid_to is null or
-- t <= valid_to)). One row per subscription and month, from the month the subscription's first
-- version began to the month it ended (or the as-of month). is_active says whether it carries
-- MRR at that instant: started by t, not ended by t, status active or past_due.
with subscription_history as (
    select * from {{ ref('stg_stripe__subscription_history') }}
),

mrr_months as (
    select * from {{ ref('int_mrr_months') }}
),

in_force as (
    select
        mrr_months.month,
        mrr_months.measured_at,
        subscription_history.subscription_id,
        subscription_history.customer_id as stripe_customer_id,
        subscription_history.subscription_status,
        subscription_history.sales_channel,
        subscription_history.collection_method,
        subscription_history.is_cancel_at_period_end,
        subscription_history.started_at,
        subscription_history.current_period_start_at,
        subscription_history.current_period_end_at,
        subscription_history.cancel_at,
        subscription_history.ended_at,
        subscription_history.valid_from
    from subscription_history
    inner join mrr_months
        on
            subscription_history.valid_from <= mrr_months.measured_at
            and (
                subscription_history.valid_to is null
                or subscription_history.valid_to >= mrr_months.measured_at
            )
),

final as (
    select
        {{ dbt.concat(["subscription_id", "'|'", "cast(month as " ~ dbt.type_string() ~ ")"]) }}
            as subscription_month_id,
        subscription_id,
        stripe_customer_id,
        month,
        measured_at,
        subscription_status,
        sales_channel,
        collection_method,
        is_cancel_at_period_end,
        started_at,
        current_period_start_at,
        current_period_end_at,
        cancel_at,
        ended_at,
        valid_from as version_valid_from,
        coalesce(
            subscription_status in ('active', 'past_due')
            and started_at <= measured_at
            and (ended_at is null or ended_at > measured_at),
            false
        ) as is_active
    from in_force
    -- a subscription that ended before the month began has nothing left to measure
    where ended_at is null or ended_at >= month
)

select * from final
