-- Committed terms of Stripe subscriptions that ended, for the billing view of the renewal rate
-- (kpi-definitions section 1): a committed term is a billing period of 12 months or more (an
-- annual or multi-year prepaid period), read from the current_period_start_at / _end_at of the
-- subscription's history. A term ended in the month of its current_period_end_at, when that is
-- before the as-of instant. It continued into a new term when a later version of the subscription
-- starts a new period at or after the term's end with a status that carries MRR (active or
-- past_due); a cancellation at period end, an expiry or a replacement subscription do not
-- continue it. mrr_billing_currency is the subscription's MRR (after discounts) at the last month
-- end before the term ended, rounded to its currency's minor unit, and mrr that amount at the
-- term-end month's rate: the weight of the MRR-weighted renewal rate. One row per subscription
-- and term end.
with subscription_history as {{ not_materialized() }} (
    select * from {{ ref('stg_stripe__subscription_history') }}
),

subscription_mrr as (
    select * from {{ ref('int_subscription_mrr_monthly') }}
),

as_of as {{ not_materialized() }} (
    select * from {{ ref('int_as_of') }}
),

identities as (
    select * from {{ ref('dim_customer_identities') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_monthly') }}
),

currencies as (
    select * from {{ ref('currencies') }}
),

periods as (
    select distinct
        subscription_id,
        customer_id as stripe_customer_id,
        current_period_start_at as term_start_at,
        current_period_end_at as term_end_at
    from subscription_history
    where
        current_period_start_at is not null
        and current_period_end_at is not null
        -- longer than 11 months: an annual or multi-year period (month ends clamp, so not >= 12)
        and current_period_end_at > {{ dbt.dateadd('month', 11, 'current_period_start_at') }}
),

ended as (
    select periods.*
    from periods
    cross join as_of
    where periods.term_end_at < as_of.as_of_at
),

continued as (
    select
        ended.subscription_id,
        ended.term_end_at,
        max(
            case
                when
                    subscription_history.current_period_start_at >= ended.term_end_at
                    and subscription_history.subscription_status in ('active', 'past_due')
                    and subscription_history.valid_from < as_of.as_of_at
                    then 1
                else 0
            end
        ) = 1 as is_continued
    from ended
    cross join as_of
    inner join subscription_history on ended.subscription_id = subscription_history.subscription_id
    group by ended.subscription_id, ended.term_end_at
),

terms as (
    select
        {{ dbt.concat(["ended.subscription_id", "'|'", "cast(ended.term_end_at as " ~ dbt.type_string() ~ ")"]) }}
            as subscription_term_id,
        ended.subscription_id,
        ended.stripe_customer_id,
        identities.customer_id,
        ended.term_start_at,
        ended.term_end_at,
        cast({{ dbt.date_trunc('month', 'ended.term_end_at') }} as date) as term_end_month,
        continued.is_continued,
        subscription_mrr.currency_code,
        coalesce(subscription_mrr.mrr, 0) as mrr
    from ended
    inner join continued
        on
            ended.subscription_id = continued.subscription_id
            and ended.term_end_at = continued.term_end_at
    left join identities
        on
            identities.source_table = 'raw_stripe.customer'
            and ended.stripe_customer_id = identities.source_id
    left join subscription_mrr
        on
            ended.subscription_id = subscription_mrr.subscription_id
            and subscription_mrr.month = cast(
                {{ dbt.dateadd('month', -1, dbt.date_trunc('month', 'ended.term_end_at')) }} as date
            )
),

rounded as (
    select
        terms.*,
        fx_rates.rate_to_reporting,
        {{ round_to_minor_unit('terms.mrr', 'currencies.minor_unit_exponent') }} as mrr_billing_currency
    from terms
    left join currencies on terms.currency_code = currencies.currency_code
    left join fx_rates
        on
            terms.currency_code = fx_rates.currency_code
            and terms.term_end_month = fx_rates.month
),

final as (
    select
        subscription_term_id,
        subscription_id,
        stripe_customer_id,
        customer_id,
        term_start_at,
        term_end_at,
        term_end_month,
        is_continued,
        currency_code as billing_currency,
        coalesce(mrr_billing_currency, 0) as mrr_billing_currency,
        cast(
            coalesce(round(cast(mrr_billing_currency as decimal(38, 10)) * rate_to_reporting, 2), 0)
            as decimal(18, 2)
        ) as mrr
    from rounded
)

select * from final
