-- GRR (trailing 12 months) is never above 1 nor above NRR (kpi-definitions section 1), in every
-- month and segment of fct_revenue_monthly. Returns the rows that break it.
select
    month,
    segment_type,
    segment_value,
    grr_t12m,
    nrr_t12m
from {{ ref('fct_revenue_monthly') }}
where grr_t12m > 1 or grr_t12m > nrr_t12m
