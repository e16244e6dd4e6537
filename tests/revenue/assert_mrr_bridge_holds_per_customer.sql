-- The MRR bridge per customer and month, to the cent: fct_mrr.mrr(m) = fct_mrr.mrr(m-1) + the
-- sum of the customer's movements in m (fct_mrr_movements, fx included). Summed over any set of
-- customers, this is the contract's bridge identity for every month and segment. Also: exactly
-- one category movement per customer-month whose billing-currency MRR changed, none otherwise,
-- and no movement outside a customer's months. Returns the customer-months that break it.
with mrr as (
    select * from {{ ref('fct_mrr') }}
),

movements as (
    select * from {{ ref('fct_mrr_movements') }}
),

movement_sums as (
    select
        customer_id,
        month,
        sum(amount) as movements,
        sum(case when movement_type <> 'fx' then 1 else 0 end) as category_movements
    from movements
    group by customer_id, month
),

with_previous as (
    select
        customer_id,
        month,
        mrr,
        mrr_billing_currency,
        coalesce(lag(mrr) over (partition by customer_id order by month), 0) as previous_mrr,
        coalesce(lag(mrr_billing_currency) over (partition by customer_id order by month), 0)
            as previous_mrr_billing_currency
    from mrr
),

checked as (
    select
        coalesce(with_previous.customer_id, movement_sums.customer_id) as customer_id,
        coalesce(with_previous.month, movement_sums.month) as month,
        with_previous.mrr,
        with_previous.previous_mrr,
        coalesce(movement_sums.movements, 0) as movements,
        coalesce(movement_sums.category_movements, 0) as category_movements,
        with_previous.mrr_billing_currency <> with_previous.previous_mrr_billing_currency as has_change
    from with_previous
    full outer join movement_sums
        on
            with_previous.customer_id = movement_sums.customer_id
            and with_previous.month = movement_sums.month
)

select *
from checked
where
    mrr is null
    or mrr <> previous_mrr + movements
    or (has_change and category_movements <> 1)
    or (not has_change and category_movements <> 0)
