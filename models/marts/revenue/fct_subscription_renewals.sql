-- Committed subscription terms that ended (billing view of renewals, kpi-definitions section 1):
-- one row per subscription and term end, with whether it continued into a new term and the
-- subscription's MRR before the term ended (int_subscription_terms_ended). The monthly renewal
-- rates are in fct_revenue_monthly; the CRM view (won / closed renewal opportunities) is in the
-- bookings marts.
with terms as (
    select * from {{ ref('int_subscription_terms_ended') }}
),

final as (
    select
        cast(subscription_term_id as {{ dbt.type_string() }}) as subscription_term_id,
        cast(subscription_id as {{ dbt.type_string() }}) as subscription_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(term_start_at as timestamp) as term_start_at,
        cast(term_end_at as timestamp) as term_end_at,
        cast(term_end_month as date) as term_end_month,
        cast(is_continued as boolean) as is_continued,
        cast(billing_currency as {{ dbt.type_string() }}) as billing_currency,
        cast(mrr_billing_currency as decimal(18, 2)) as mrr_billing_currency,
        cast(mrr as decimal(18, 2)) as mrr
    from terms
)

select * from final
