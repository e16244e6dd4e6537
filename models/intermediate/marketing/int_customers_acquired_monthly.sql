-- New customers for CAC: one row per customer-360 customer in the month its MRR first became
-- positive (the MRR home's 'new' movement, int_customer_mrr_movements; kpi-definitions section 1),
-- with that first month's MRR in reporting currency and the customer's acquisition channel
-- (int_customer_acquisition: the channel of the lead that first converted into it).
with mrr_movements as (
    select * from {{ ref('int_customer_mrr_movements') }}
),

acquisitions as (
    select * from {{ ref('int_customer_acquisition') }}
),

final as (
    select
        mrr_movements.customer_id,
        mrr_movements.month,
        mrr_movements.amount as new_mrr,
        coalesce(acquisitions.acquisition_channel, 'direct') as acquisition_channel
    from mrr_movements
    left join acquisitions on mrr_movements.customer_id = acquisitions.customer_id
    where mrr_movements.movement_type = 'new'
)

select * from final
