-- One row per customer-360 customer (customer_id): a real customer company resolved from CRM
-- accounts, billing customers and marketing contacts (dim_customer_identities lists its records),
-- with its descriptive attributes, acquisition and lifecycle stage as of the warehouse's today.
with profiles as (
    select * from {{ ref('int_customers_profiled') }}
),

acquisition as (
    select * from {{ ref('int_customer_acquisition') }}
),

lifecycle as (
    select * from {{ ref('int_customer_lifecycle_derived') }}
),

identities as (
    select * from {{ ref('int_identity_records_resolved') }}
),

churn_signals as (
    select * from {{ ref('int_customer_churn_signals') }}
),

record_counts as (
    select
        customer_id,
        count(*) as identity_record_count
    from identities
    group by customer_id
),

final as (
    select
        -- ids
        cast(profiles.customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(profiles.salesforce_account_id as {{ dbt.type_string() }}) as salesforce_account_id,
        cast(profiles.stripe_customer_id as {{ dbt.type_string() }}) as stripe_customer_id,
        cast(profiles.owner_user_id as {{ dbt.type_string() }}) as owner_user_id,
        cast(acquisition.acquisition_lead_id as {{ dbt.type_string() }}) as acquisition_lead_id,

        -- strings
        cast(profiles.customer_name as {{ dbt.type_string() }}) as customer_name,
        cast(profiles.primary_domain as {{ dbt.type_string() }}) as primary_domain,
        cast(profiles.country_code as {{ dbt.type_string() }}) as country_code,
        cast(profiles.region as {{ dbt.type_string() }}) as region,
        cast(profiles.size_band as {{ dbt.type_string() }}) as size_band,
        cast(profiles.industry as {{ dbt.type_string() }}) as industry,
        cast(acquisition.acquisition_channel as {{ dbt.type_string() }}) as acquisition_channel,
        cast(profiles.sales_channel as {{ dbt.type_string() }}) as sales_channel,
        cast(profiles.billing_currency as {{ dbt.type_string() }}) as billing_currency,
        cast(lifecycle.lifecycle_stage as {{ dbt.type_string() }}) as lifecycle_stage,

        -- numerics
        cast(profiles.employee_count as integer) as employee_count,
        cast(record_counts.identity_record_count as bigint) as identity_record_count,

        -- booleans
        lifecycle.is_current_customer,

        -- timestamps
        cast(acquisition.first_touch_at as {{ dbt.type_timestamp() }}) as first_touch_at,
        cast(lifecycle.first_paid_at as {{ dbt.type_timestamp() }}) as first_paid_at,

        -- revenue: MRR at the as-of month and churn-risk signals (int_customer_churn_signals)
        cast(coalesce(churn_signals.current_mrr, 0) as decimal(18, 2)) as current_mrr,
        churn_signals.has_recent_contraction,
        churn_signals.has_payment_issue,
        churn_signals.has_falling_engagement,
        churn_signals.has_inactive_owner,
        cast(churn_signals.churn_risk_score as integer) as churn_risk_score,
        cast(churn_signals.churn_risk_band as {{ dbt.type_string() }}) as churn_risk_band
    from profiles
    inner join acquisition
        on profiles.customer_id = acquisition.customer_id
    inner join lifecycle
        on profiles.customer_id = lifecycle.customer_id
    inner join record_counts
        on profiles.customer_id = record_counts.customer_id
    left join churn_signals
        on profiles.customer_id = churn_signals.customer_id
)

select * from final
