-- Credited bookings equal total bookings in each attribution model, to the cent: per won
-- opportunity, its credited bookings sum to its bookings in fct_bookings (the bookings' home), and
-- every booking of fct_bookings is credited. Returns one row per opportunity and model that does
-- not reconcile, and one per model whose total differs.
with bookings as (
    select * from {{ ref('fct_bookings') }}
),

credits as (
    select * from {{ ref('fct_attribution_credits') }}
    where conversion_type = 'won_opportunity'
),

attribution_models as (
    select 'first_touch' as attribution_model
    union all
    select 'last_touch' as attribution_model
    union all
    select 'linear' as attribution_model
),

credited as (
    select
        opportunity_id,
        attribution_model,
        sum(credited_bookings) as credited_bookings
    from credits
    group by opportunity_id, attribution_model
),

per_opportunity as (
    select
        attribution_models.attribution_model,
        bookings.opportunity_id,
        bookings.amount_reporting as bookings,
        credited.credited_bookings
    from bookings
    cross join attribution_models
    full outer join credited
        on
            bookings.opportunity_id = credited.opportunity_id
            and attribution_models.attribution_model = credited.attribution_model
),

per_model as (
    select
        attribution_models.attribution_model,
        'total' as opportunity_id,
        (select sum(bookings.amount_reporting) from bookings) as bookings,
        (
            select sum(credits.credited_bookings) from credits
            where credits.attribution_model = attribution_models.attribution_model
        ) as credited_bookings
    from attribution_models
),

final as (
    select * from per_opportunity
    where coalesce(bookings, -1) <> coalesce(credited_bookings, -2)
    union all
    select * from per_model
    where coalesce(bookings, 0) <> coalesce(credited_bookings, 0)
)

select * from final
