-- Monthly recurring-revenue KPIs by segment (kpi-definitions section 1), the home of every rate
-- below. Grain: one row per month, segment_type and segment_value, in long format: segment_type
-- 'all' (segment_value 'all') and each segment dimension a RevOps team splits by (sales_channel,
-- revenue_model, plan, size_band, country, acquisition_channel; a missing value is 'unknown').
-- A customer's segment in month m is its value at m; a customer with no MRR at m (it churned)
-- keeps its value of m-1. Only plan changes over time: a customer whose plan changed between m-1
-- and m moves its MRR(m-1) from the old plan to the new one in segment_transfer_mrr, so that for
-- every row mrr = opening_mrr + new + reactivation + expansion + contraction + churn + fx +
-- segment_transfer, and segment_transfer is 0 for 'all' and every segment but plan.
-- Rates follow the contract; a zero denominator gives null. Customer-based rates (logo churn,
-- upsell, gross MRR churn) count the customers of the segment at m-1. Trailing-12-month KPIs
-- (NRR, GRR, upsell) use the cohort of customers with MRR > 0 at m-12 (segment of m-12); the
-- average monthly logo churn of LTV is churned customers / customers at month start, summed over
-- the 12 months m-11..m (never an average of monthly rates).
{%- set segment_types = [
    ('sales_channel', 'sales_channel', 'sales_channel'),
    ('revenue_model', 'revenue_model', 'revenue_model'),
    ('plan', 'plan_current', 'plan_previous'),
    ('size_band', 'size_band', 'size_band'),
    ('country', 'country_code', 'country_code'),
    ('acquisition_channel', 'acquisition_channel', 'acquisition_channel'),
] %}

with customer_facts as {{ not_materialized() }} (
    select * from {{ ref('int_customer_mrr_segmented') }}
),

movements as (
    select * from {{ ref('int_customer_mrr_movements') }}
),

terms as (
    select * from {{ ref('int_subscription_terms_ended') }}
),

-- Each customer-month twice per segment type: on the side of its segment at m (its MRR, its
-- movements) and, when it had MRR at m-1, on the side of its segment at m-1 (opening MRR, the
-- customers at month start and the numerators of the rates over them).
segment_sides as (
    {%- for segment_type, current_column, previous_column in [('all', "'all'", "'all'")] + segment_types %}
        {%- set current_expr = current_column if segment_type == 'all' else 'customer_facts.' ~ current_column %}
        {%- set previous_expr = previous_column if segment_type == 'all' else 'customer_facts.' ~ previous_column %}
        select
            customer_facts.*,
            '{{ segment_type }}' as segment_type,
            {{ current_expr }} as segment_value,
            1 as is_current_side,
            0 as is_previous_side
        from customer_facts
        where customer_facts.has_mrr or customer_facts.had_mrr_previous
        union all
        select
            customer_facts.*,
            '{{ segment_type }}' as segment_type,
            {{ previous_expr }} as segment_value,
            0 as is_current_side,
            1 as is_previous_side
        from customer_facts
        where customer_facts.had_mrr_previous
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

monthly as (
    select
        month,
        segment_type,
        segment_value,
        sum(is_current_side * mrr) as mrr,
        sum(is_previous_side * previous_mrr) as opening_mrr,
        sum(is_current_side * new_mrr) as new_mrr,
        sum(is_current_side * reactivation_mrr) as reactivation_mrr,
        sum(is_current_side * expansion_mrr) as expansion_mrr,
        sum(is_current_side * contraction_mrr) as contraction_mrr,
        sum(is_current_side * churn_mrr) as churn_mrr,
        sum(is_current_side * fx_mrr) as fx_mrr,
        sum(is_current_side * previous_mrr) - sum(is_previous_side * previous_mrr) as segment_transfer_mrr,
        sum(case when is_current_side = 1 and has_mrr then 1 else 0 end) as customers,
        sum(is_previous_side) as opening_customers,
        sum(is_current_side * is_new) as new_customers,
        sum(is_current_side * is_reactivation) as reactivated_customers,
        sum(is_previous_side * is_expansion) as expanded_customers,
        sum(is_previous_side * is_contraction) as contracted_customers,
        sum(is_previous_side * is_churn) as churned_customers,
        sum(is_previous_side * (churn_mrr + contraction_mrr)) as churn_and_contraction_of_opening_mrr,
        sum(is_current_side * seats) as paid_seats
    from segment_sides
    group by month, segment_type, segment_value
),

-- Trailing 12 months: the customers with MRR > 0 at m-12, their MRR then and at m, and whether
-- they had an expansion movement in m-11..m.
cohort_pairs as (
    select
        later.month,
        earlier.customer_id,
        earlier.mrr as starting_mrr,
        later.mrr as ending_mrr,
        earlier.plan_current,
        earlier.sales_channel,
        earlier.revenue_model,
        earlier.size_band,
        earlier.country_code,
        earlier.acquisition_channel
    from customer_facts as earlier
    inner join customer_facts as later
        on
            earlier.customer_id = later.customer_id
            and later.month = cast({{ dbt.dateadd('month', 12, 'earlier.month') }} as date)
    where earlier.has_mrr
),

expansion_movements as (
    select
        customer_id,
        month
    from movements
    where movement_type = 'expansion'
),

cohort_expansions as (
    select
        cohort_pairs.customer_id,
        cohort_pairs.month,
        max(case when expansion_movements.customer_id is not null then 1 else 0 end) as has_expansion
    from cohort_pairs
    left join expansion_movements
        on
            cohort_pairs.customer_id = expansion_movements.customer_id
            and cast({{ dbt.dateadd('month', -12, 'cohort_pairs.month') }} as date) < expansion_movements.month
            and cohort_pairs.month >= expansion_movements.month
    group by cohort_pairs.customer_id, cohort_pairs.month
),

cohort_sides as (
    {%- for segment_type, current_column, previous_column in [('all', "'all'", "'all'")] + segment_types %}
        select
            cohort_pairs.month,
            '{{ segment_type }}' as segment_type,
            {{ current_column if segment_type == 'all' else 'cohort_pairs.' ~ current_column }} as segment_value,
            cohort_pairs.starting_mrr,
            cohort_pairs.ending_mrr,
            cohort_expansions.has_expansion
        from cohort_pairs
        inner join cohort_expansions
            on
                cohort_pairs.customer_id = cohort_expansions.customer_id
                and cohort_pairs.month = cohort_expansions.month
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

trailing_cohorts as (
    select
        month,
        segment_type,
        segment_value,
        count(*) as cohort_customers_t12m,
        sum(has_expansion) as cohort_expanded_customers_t12m,
        sum(starting_mrr) as cohort_starting_mrr_t12m,
        sum(ending_mrr) as cohort_ending_mrr_t12m,
        sum(case when ending_mrr < starting_mrr then ending_mrr else starting_mrr end) as cohort_retained_mrr_t12m
    from cohort_sides
    group by month, segment_type, segment_value
),

renewal_sides as (
    {%- for segment_type, current_column, previous_column in [('all', "'all'", "'all'")] + segment_types %}
        select
            terms.term_end_month as month,
            '{{ segment_type }}' as segment_type,
            {{ current_column if segment_type == 'all' else 'customer_facts.' ~ current_column }} as segment_value,
            case when terms.is_continued then 1 else 0 end as is_continued,
            terms.mrr
        from terms
        inner join customer_facts
            on
                terms.customer_id = customer_facts.customer_id
                and terms.term_end_month = customer_facts.month
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

renewals as (
    select
        month,
        segment_type,
        segment_value,
        count(*) as renewals_due,
        sum(is_continued) as renewals_continued,
        sum(mrr) as renewal_mrr_due,
        sum(is_continued * mrr) as renewal_mrr_continued
    from renewal_sides
    group by month, segment_type, segment_value
),

keys as (
    select
        month,
        segment_type,
        segment_value
    from monthly
    union
    select
        month,
        segment_type,
        segment_value
    from trailing_cohorts
    union
    select
        month,
        segment_type,
        segment_value
    from renewals
),

combined as (
    select
        keys.month,
        keys.segment_type,
        keys.segment_value,
        coalesce(monthly.mrr, 0) as mrr,
        coalesce(monthly.opening_mrr, 0) as opening_mrr,
        coalesce(monthly.new_mrr, 0) as new_mrr,
        coalesce(monthly.reactivation_mrr, 0) as reactivation_mrr,
        coalesce(monthly.expansion_mrr, 0) as expansion_mrr,
        coalesce(monthly.contraction_mrr, 0) as contraction_mrr,
        coalesce(monthly.churn_mrr, 0) as churn_mrr,
        coalesce(monthly.fx_mrr, 0) as fx_mrr,
        coalesce(monthly.segment_transfer_mrr, 0) as segment_transfer_mrr,
        coalesce(monthly.customers, 0) as customers,
        coalesce(monthly.opening_customers, 0) as opening_customers,
        coalesce(monthly.new_customers, 0) as new_customers,
        coalesce(monthly.reactivated_customers, 0) as reactivated_customers,
        coalesce(monthly.expanded_customers, 0) as expanded_customers,
        coalesce(monthly.contracted_customers, 0) as contracted_customers,
        coalesce(monthly.churned_customers, 0) as churned_customers,
        coalesce(monthly.churn_and_contraction_of_opening_mrr, 0) as churn_and_contraction_of_opening_mrr,
        coalesce(monthly.paid_seats, 0) as paid_seats,
        coalesce(trailing_cohorts.cohort_customers_t12m, 0) as cohort_customers_t12m,
        coalesce(trailing_cohorts.cohort_expanded_customers_t12m, 0) as cohort_expanded_customers_t12m,
        coalesce(trailing_cohorts.cohort_starting_mrr_t12m, 0) as cohort_starting_mrr_t12m,
        coalesce(trailing_cohorts.cohort_ending_mrr_t12m, 0) as cohort_ending_mrr_t12m,
        coalesce(trailing_cohorts.cohort_retained_mrr_t12m, 0) as cohort_retained_mrr_t12m,
        coalesce(renewals.renewals_due, 0) as renewals_due,
        coalesce(renewals.renewals_continued, 0) as renewals_continued,
        coalesce(renewals.renewal_mrr_due, 0) as renewal_mrr_due,
        coalesce(renewals.renewal_mrr_continued, 0) as renewal_mrr_continued
    from keys
    left join monthly
        on
            keys.month = monthly.month
            and keys.segment_type = monthly.segment_type
            and keys.segment_value = monthly.segment_value
    left join trailing_cohorts
        on
            keys.month = trailing_cohorts.month
            and keys.segment_type = trailing_cohorts.segment_type
            and keys.segment_value = trailing_cohorts.segment_value
    left join renewals
        on
            keys.month = renewals.month
            and keys.segment_type = renewals.segment_type
            and keys.segment_value = renewals.segment_value
),

trailing_churn as (
    select
        combined.month,
        combined.segment_type,
        combined.segment_value,
        sum(window_months.churned_customers) as churned_customers_t12m,
        sum(window_months.opening_customers) as opening_customer_months_t12m
    from combined
    inner join combined as window_months
        on
            combined.segment_type = window_months.segment_type
            and combined.segment_value = window_months.segment_value
            and window_months.month > cast({{ dbt.dateadd('month', -12, 'combined.month') }} as date)
            and combined.month >= window_months.month
    group by combined.month, combined.segment_type, combined.segment_value
),

rated as (
    select
        combined.*,
        trailing_churn.churned_customers_t12m,
        trailing_churn.opening_customer_months_t12m,
        cast(combined.mrr as {{ type_double() }}) / nullif(combined.customers, 0) as arpa,
        cast(combined.mrr as {{ type_double() }}) / nullif(combined.paid_seats, 0) as arpu,
        cast(combined.churned_customers as {{ type_double() }}) / nullif(combined.opening_customers, 0)
            as logo_churn_rate,
        -1 * cast(combined.churn_and_contraction_of_opening_mrr as {{ type_double() }})
        / nullif(combined.opening_mrr, 0) as gross_mrr_churn_rate,
        cast(combined.expanded_customers as {{ type_double() }}) / nullif(combined.opening_customers, 0) as upsell_rate,
        cast(combined.cohort_expanded_customers_t12m as {{ type_double() }}) / nullif(combined.cohort_customers_t12m, 0)
            as upsell_rate_t12m,
        cast(combined.cohort_ending_mrr_t12m as {{ type_double() }}) / nullif(combined.cohort_starting_mrr_t12m, 0)
            as nrr_t12m,
        cast(combined.cohort_retained_mrr_t12m as {{ type_double() }}) / nullif(combined.cohort_starting_mrr_t12m, 0)
            as grr_t12m,
        cast(trailing_churn.churned_customers_t12m as {{ type_double() }})
        / nullif(trailing_churn.opening_customer_months_t12m, 0) as average_logo_churn_rate_t12m,
        cast(combined.renewals_continued as {{ type_double() }}) / nullif(combined.renewals_due, 0) as renewal_rate,
        cast(combined.renewal_mrr_continued as {{ type_double() }}) / nullif(combined.renewal_mrr_due, 0)
            as renewal_rate_mrr
    from combined
    inner join trailing_churn
        on
            combined.month = trailing_churn.month
            and combined.segment_type = trailing_churn.segment_type
            and combined.segment_value = trailing_churn.segment_value
),

final as (
    select
        {{ dbt.concat([
            "cast(month as " ~ dbt.type_string() ~ ")", "'|'", "segment_type", "'|'", "segment_value"
        ]) }} as revenue_month_segment_id,
        cast(month as date) as month,
        cast(segment_type as {{ dbt.type_string() }}) as segment_type,
        cast(segment_value as {{ dbt.type_string() }}) as segment_value,
        cast(mrr as decimal(18, 2)) as mrr,
        cast(12 * mrr as decimal(18, 2)) as arr,
        cast(opening_mrr as decimal(18, 2)) as opening_mrr,
        cast(new_mrr as decimal(18, 2)) as new_mrr,
        cast(reactivation_mrr as decimal(18, 2)) as reactivation_mrr,
        cast(expansion_mrr as decimal(18, 2)) as expansion_mrr,
        cast(contraction_mrr as decimal(18, 2)) as contraction_mrr,
        cast(churn_mrr as decimal(18, 2)) as churn_mrr,
        cast(fx_mrr as decimal(18, 2)) as fx_mrr,
        cast(segment_transfer_mrr as decimal(18, 2)) as segment_transfer_mrr,
        cast(new_mrr + reactivation_mrr + expansion_mrr + contraction_mrr + churn_mrr as decimal(18, 2))
            as net_new_mrr,
        cast(customers as bigint) as customers,
        cast(opening_customers as bigint) as opening_customers,
        cast(new_customers as bigint) as new_customers,
        cast(reactivated_customers as bigint) as reactivated_customers,
        cast(expanded_customers as bigint) as expanded_customers,
        cast(contracted_customers as bigint) as contracted_customers,
        cast(churned_customers as bigint) as churned_customers,
        cast(paid_seats as bigint) as paid_seats,
        arpa,
        arpu,
        logo_churn_rate,
        gross_mrr_churn_rate,
        upsell_rate,
        cast(cohort_customers_t12m as bigint) as cohort_customers_t12m,
        cast(cohort_expanded_customers_t12m as bigint) as cohort_expanded_customers_t12m,
        upsell_rate_t12m,
        cast(cohort_starting_mrr_t12m as decimal(18, 2)) as cohort_starting_mrr_t12m,
        cast(cohort_ending_mrr_t12m as decimal(18, 2)) as cohort_ending_mrr_t12m,
        cast(cohort_retained_mrr_t12m as decimal(18, 2)) as cohort_retained_mrr_t12m,
        nrr_t12m,
        grr_t12m,
        cast(churned_customers_t12m as bigint) as churned_customers_t12m,
        cast(opening_customer_months_t12m as bigint) as opening_customer_months_t12m,
        average_logo_churn_rate_t12m,
        arpa * {{ var('gross_margin') }} / nullif(average_logo_churn_rate_t12m, 0) as ltv,
        coalesce(average_logo_churn_rate_t12m = 0, false) as is_ltv_undefined,
        cast(renewals_due as bigint) as renewals_due,
        cast(renewals_continued as bigint) as renewals_continued,
        renewal_rate,
        cast(renewal_mrr_due as decimal(18, 2)) as renewal_mrr_due,
        cast(renewal_mrr_continued as decimal(18, 2)) as renewal_mrr_continued,
        renewal_rate_mrr
    from rated
)

select * from final
