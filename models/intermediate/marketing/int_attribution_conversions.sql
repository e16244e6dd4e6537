-- The conversions that marketing touches are credited for (kpi-definitions section 4,
-- Attribution), one row per conversion:
--   * lead: a Salesforce lead, converted at its creation;
--   * won_opportunity: a closed-won opportunity (any type, so expansions and renewals too),
--     converted at the opportunity's creation. Its bookings and first-year ACV come from the
--     bookings' home (int_opportunities_closed_valued, which fct_bookings selects): bookings =
--     the amount in reporting currency at the close month's rate; first-year ACV = the recurring
--     value of the first contract year (first-year value minus one-time fees; equal to the ACV
--     of section 2 for terms of 12 months or more). Either can be the numerator of ROAS.
with leads as (
    select * from {{ ref('stg_salesforce__leads') }}
),

closed_opportunities as (
    select * from {{ ref('int_opportunities_closed_valued') }}
),

customer_identities as {{ not_materialized() }} (
    select * from {{ ref('dim_customer_identities') }}
),

lead_conversions as (
    select
        {{ dbt.concat(["'lead:'", "leads.lead_id"]) }} as conversion_key,
        'lead' as conversion_type,
        leads.lead_id as conversion_id,
        leads.lead_id,
        cast(null as {{ dbt.type_string() }}) as opportunity_id,
        leads.converted_account_id as account_id,
        customer_identities.customer_id,
        cast(null as {{ dbt.type_string() }}) as opportunity_type,
        leads.created_at as converted_at,
        cast(null as date) as close_date,
        cast(null as decimal(18, 2)) as bookings_amount,
        cast(null as decimal(18, 2)) as first_year_acv_amount
    from leads
    left join customer_identities
        on
            customer_identities.source_table = 'raw_salesforce.lead'
            and leads.lead_id = customer_identities.source_id
),

won_opportunities as (
    select * from closed_opportunities
    where is_won
),

opportunity_conversions as (
    select
        {{ dbt.concat(["'won_opportunity:'", "won_opportunities.opportunity_id"]) }} as conversion_key,
        'won_opportunity' as conversion_type,
        won_opportunities.opportunity_id as conversion_id,
        cast(null as {{ dbt.type_string() }}) as lead_id,
        won_opportunities.opportunity_id,
        won_opportunities.account_id,
        customer_identities.customer_id,
        won_opportunities.opportunity_type,
        won_opportunities.created_at as converted_at,
        won_opportunities.close_date,
        won_opportunities.amount_reporting as bookings_amount,
        cast(
            won_opportunities.first_year_value_reporting - won_opportunities.one_time_fees_reporting
            as decimal(18, 2)
        ) as first_year_acv_amount
    from won_opportunities
    left join customer_identities
        on
            customer_identities.source_table = 'raw_salesforce.account'
            and won_opportunities.account_id = customer_identities.source_id
),

unioned as (
    select * from lead_conversions
    union all
    select * from opportunity_conversions
),

final as (
    select
        conversion_key,
        conversion_type,
        conversion_id,
        lead_id,
        opportunity_id,
        account_id,
        customer_id,
        opportunity_type,
        converted_at,
        cast({{ dbt.date_trunc('month', 'converted_at') }} as date) as conversion_month,
        close_date,
        cast({{ dbt.date_trunc('month', 'close_date') }} as date) as booking_month,
        bookings_amount,
        first_year_acv_amount
    from unioned
)

select * from final
