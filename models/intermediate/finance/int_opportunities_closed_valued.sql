-- One row per closed opportunity (won or lost): its booking category, contract values (TCV, ACV,
-- first-year value) in the deal's currency, and the same values in the reporting currency at the
-- rate of the close month. The close date decides the period. Values are unrounded arithmetic on the
-- deal's amounts, rounded to the cent once here.
with opportunities as (
    select * from {{ ref('stg_salesforce__opportunities') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_monthly') }}
),

closed as (
    select
        opportunity_id,
        account_id,
        owner_user_id,
        opportunity_name,
        opportunity_type,
        stage_name,
        sales_channel,
        currency_code,
        is_won,
        close_date,
        created_at,
        amount,
        contract_term_months,
        cast({{ dbt.date_trunc('month', 'close_date') }} as date) as close_month,
        -- a missing one-time fee is 0; a missing term counts as 12 months (kpi-definitions.md, ACV)
        coalesce(one_time_fees, cast(0 as decimal(18, 2))) as one_time_fees,
        coalesce(contract_term_months, 12) as effective_term_months
    from opportunities
    where is_closed
),

valued as (
    select
        closed.*,
        case closed.opportunity_type
            when 'New Business' then 'new_business'
            when 'Expansion' then 'expansion_upsell'
            when 'Cross-sell' then 'cross_sell'
            when 'Renewal' then 'renewal'
        end as booking_category,
        closed.amount - closed.one_time_fees as recurring_contract_value,
        -- ACV: recurring value per contract year; null for a zero-month term (no contract year)
        {{ decimal_ratio('(closed.amount - closed.one_time_fees) * 12', 'closed.effective_term_months') }}
            as acv_unrounded,
        -- first-year value: the recurring value of the first 12 months (the whole term when it is
        -- shorter) plus the one-time fees, which are billed at the start
        {{ decimal_ratio(
            '(closed.amount - closed.one_time_fees) * least(closed.effective_term_months, 12)',
            'closed.effective_term_months'
        ) }} + closed.one_time_fees as first_year_value_unrounded,
        fx_rates.rate_to_reporting
    from closed
    left join fx_rates
        on
            closed.close_month = fx_rates.month
            and closed.currency_code = fx_rates.currency_code
),

final as (
    select
        -- ids
        opportunity_id,
        account_id,
        owner_user_id,

        -- strings
        opportunity_name,
        opportunity_type,
        booking_category,
        stage_name,
        sales_channel,
        currency_code,

        -- booleans
        is_won,

        -- dates
        close_date,
        close_month,

        -- numerics, deal currency
        amount,
        amount as tcv,
        one_time_fees,
        contract_term_months,
        effective_term_months,
        recurring_contract_value,
        cast(round(acv_unrounded, 2) as decimal(18, 2)) as acv,
        cast(round(first_year_value_unrounded, 2) as decimal(18, 2)) as first_year_value,

        -- numerics, reporting currency at the close month's rate
        rate_to_reporting,
        {{ to_reporting_currency('amount', 'rate_to_reporting') }} as amount_reporting,
        {{ to_reporting_currency('one_time_fees', 'rate_to_reporting') }} as one_time_fees_reporting,
        {{ to_reporting_currency('acv_unrounded', 'rate_to_reporting') }} as acv_reporting,
        {{ to_reporting_currency('first_year_value_unrounded', 'rate_to_reporting') }}
            as first_year_value_reporting,

        -- timestamps
        created_at
    from valued
)

select * from final
