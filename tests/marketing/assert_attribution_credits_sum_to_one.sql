-- Every conversion (every lead and every won opportunity) has credits in each attribution model,
-- and its credits sum to exactly 1 in each model. Returns one row per conversion and model that
-- does not.
with conversions as (
    select * from {{ ref('int_attribution_conversions') }}
),

credits as (
    select * from {{ ref('fct_attribution_credits') }}
),

attribution_models as (
    select 'first_touch' as attribution_model
    union all
    select 'last_touch' as attribution_model
    union all
    select 'linear' as attribution_model
),

credit_sums as (
    select
        conversion_type,
        coalesce(lead_id, opportunity_id) as conversion_id,
        attribution_model,
        sum(credit) as credit_sum
    from credits
    group by conversion_type, coalesce(lead_id, opportunity_id), attribution_model
),

final as (
    select
        conversions.conversion_type,
        conversions.conversion_id,
        attribution_models.attribution_model,
        credit_sums.credit_sum
    from conversions
    cross join attribution_models
    left join credit_sums
        on
            conversions.conversion_type = credit_sums.conversion_type
            and conversions.conversion_id = credit_sums.conversion_id
            and attribution_models.attribution_model = credit_sums.attribution_model
    where credit_sums.credit_sum is null or credit_sums.credit_sum <> 1
)

select * from final
