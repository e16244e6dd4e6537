-- MRR movements (kpi-definitions section 1), the home of the movement classification: one row
-- per customer, month and movement type. prev and cur are the customer's rounded MRR in its
-- billing currency at m-1 and m (int_customer_mrr_monthly). The category is decided in billing
-- currency: new (prev = 0, cur > 0, never MRR > 0 before), reactivation (prev = 0, cur > 0, MRR >
-- 0 before), expansion (cur > prev > 0), contraction (0 < cur < prev), churn (prev > 0, cur = 0);
-- at most one per customer-month, amount (cur - prev) converted at m's rate and rounded to the
-- cent. fx is what exchange rates alone change: MRR(m) - MRR(m-1) in reporting currency minus the
-- category amount, i.e. prev x (rate(m) - rate(m-1)) plus the cents that rounding each amount
-- separately leaves over, so that MRR(m) = MRR(m-1) + the month's movements holds to the cent for
-- every customer, and so for every sum of customers. Months without a change have no row; fx has a
-- row only when it is not zero.
with customer_mrr as (
    select * from {{ ref('int_customer_mrr_monthly') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_monthly') }}
),

with_previous as (
    select
        customer_id,
        month,
        billing_currency,
        rate_to_reporting,
        mrr_billing_currency,
        mrr,
        coalesce(lag(mrr_billing_currency) over (partition by customer_id order by month), 0)
            as previous_mrr_billing_currency,
        coalesce(lag(mrr) over (partition by customer_id order by month), 0) as previous_mrr,
        coalesce(
            max(case when has_mrr then 1 else 0 end) over (
                partition by customer_id
                order by month
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) = 1 as had_mrr_before
    from customer_mrr
),

classified as (
    select
        with_previous.*,
        previous_rates.rate_to_reporting as previous_rate_to_reporting,
        case
            when with_previous.previous_mrr_billing_currency = 0 and with_previous.mrr_billing_currency > 0
                then case when with_previous.had_mrr_before then 'reactivation' else 'new' end
            when with_previous.previous_mrr_billing_currency > 0 and with_previous.mrr_billing_currency = 0
                then 'churn'
            when with_previous.mrr_billing_currency > with_previous.previous_mrr_billing_currency
                then 'expansion'
            when with_previous.mrr_billing_currency < with_previous.previous_mrr_billing_currency
                then 'contraction'
        end as category,
        cast(
            with_previous.mrr_billing_currency - with_previous.previous_mrr_billing_currency as decimal(18, 2)
        ) as change_billing_currency
    from with_previous
    left join fx_rates as previous_rates
        on
            with_previous.billing_currency = previous_rates.currency_code
            and previous_rates.month = cast({{ dbt.dateadd('month', -1, 'with_previous.month') }} as date)
),

amounts as (
    select
        classified.*,
        cast(
            round(
                cast(classified.change_billing_currency as decimal(38, 10)) * classified.rate_to_reporting, 2
            ) as decimal(18, 2)
        ) as category_amount
    from classified
),

category_movements as (
    select
        customer_id,
        month,
        category as movement_type,
        category_amount as amount,
        change_billing_currency as amount_billing_currency,
        billing_currency,
        previous_mrr_billing_currency,
        mrr_billing_currency,
        previous_mrr,
        mrr,
        previous_rate_to_reporting,
        rate_to_reporting
    from amounts
    where category is not null
),

fx_movements as (
    select
        customer_id,
        month,
        'fx' as movement_type,
        cast(
            mrr - previous_mrr - coalesce(case when category is not null then category_amount end, 0) as decimal(18, 2)
        )
            as amount,
        cast(null as decimal(18, 2)) as amount_billing_currency,
        billing_currency,
        previous_mrr_billing_currency,
        mrr_billing_currency,
        previous_mrr,
        mrr,
        previous_rate_to_reporting,
        rate_to_reporting
    from amounts
),

unioned as (
    select * from category_movements
    union all
    select * from fx_movements
    where amount <> 0
),

final as (
    select
        {{ dbt.concat([
            "customer_id", "'|'", "cast(month as " ~ dbt.type_string() ~ ")", "'|'", "movement_type"
        ]) }} as mrr_movement_id,
        customer_id,
        month,
        movement_type,
        amount,
        amount_billing_currency,
        billing_currency,
        previous_mrr_billing_currency,
        mrr_billing_currency,
        previous_mrr,
        mrr,
        previous_rate_to_reporting,
        rate_to_reporting
    from unioned
)

select * from final
