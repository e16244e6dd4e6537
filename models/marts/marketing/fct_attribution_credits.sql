-- Attribution credits (kpi-definitions section 4). Grain: one row per conversion, attribution
-- model and credited touch. Models: first_touch (credit 1 to the conversion's first touch in
-- the window), last_touch (1 to its last), linear (1 / n to each of its n touches). A conversion
-- without a touch in the window gets one 'direct' credit of 1 in every model. Credits of a
-- conversion sum to exactly 1 in each model: linear credits are 1/n to 10 decimals and the last
-- touch takes the remainder. Credited bookings and first-year ACV are the conversion's amount x
-- credit rounded to the cent, the last touch again taking the remainder, so they sum to the
-- conversion's amount to the cent.
with conversions as {{ not_materialized() }} (
    select * from {{ ref('int_attribution_conversions') }}
),

touchpoints as {{ not_materialized() }} (
    select * from {{ ref('int_attribution_touchpoints') }}
),

attribution_models as (
    select 'first_touch' as attribution_model
    union all
    select 'last_touch' as attribution_model
    union all
    select 'linear' as attribution_model
),

touch_credits as (
    select
        attribution_models.attribution_model,
        touchpoints.conversion_key,
        touchpoints.touch_id,
        touchpoints.touch_type,
        touchpoints.touch_number,
        touchpoints.touch_count,
        touchpoints.channel,
        touchpoints.is_paid,
        touchpoints.platform,
        touchpoints.campaign,
        touchpoints.ad_campaign_key,
        touchpoints.touched_at,
        case
            when attribution_models.attribution_model = 'linear'
                then cast(1.0 / touchpoints.touch_count as decimal(18, 10))
            else cast(1 as decimal(18, 10))
        end as rounded_credit,
        -- the row that takes the remainder of the rounding
        touchpoints.touch_number = touchpoints.touch_count as is_remainder_row
    from touchpoints
    inner join attribution_models
        on
            attribution_models.attribution_model = 'linear'
            or (attribution_models.attribution_model = 'first_touch' and touchpoints.touch_number = 1)
            or (
                attribution_models.attribution_model = 'last_touch'
                and touchpoints.touch_number = touchpoints.touch_count
            )
),

direct_credits as (
    select
        attribution_models.attribution_model,
        conversions.conversion_key,
        cast(null as {{ dbt.type_string() }}) as touch_id,
        cast(null as {{ dbt.type_string() }}) as touch_type,
        cast(null as {{ dbt.type_bigint() }}) as touch_number,
        cast(0 as {{ dbt.type_bigint() }}) as touch_count,
        'direct' as channel,
        false as is_paid,
        cast(null as {{ dbt.type_string() }}) as platform,
        cast(null as {{ dbt.type_string() }}) as campaign,
        cast(null as {{ dbt.type_string() }}) as ad_campaign_key,
        cast(null as timestamp) as touched_at,
        cast(1 as decimal(18, 10)) as rounded_credit,
        true as is_remainder_row
    from conversions
    cross join attribution_models
    where not exists (
        select 1
        from touchpoints
        where touchpoints.conversion_key = conversions.conversion_key
    )
),

all_credits as (
    select * from touch_credits
    union all
    select * from direct_credits
),

amounts as (
    select
        all_credits.*,
        conversions.conversion_type,
        conversions.lead_id,
        conversions.opportunity_id,
        conversions.account_id,
        conversions.customer_id,
        conversions.opportunity_type,
        conversions.converted_at,
        conversions.conversion_month,
        conversions.booking_month,
        conversions.bookings_amount,
        conversions.first_year_acv_amount,
        cast(round(conversions.bookings_amount * all_credits.rounded_credit, 2) as decimal(18, 2))
            as rounded_bookings,
        cast(round(conversions.first_year_acv_amount * all_credits.rounded_credit, 2) as decimal(18, 2))
            as rounded_first_year_acv
    from all_credits
    inner join conversions on all_credits.conversion_key = conversions.conversion_key
),

remainders as (
    select
        *,
        sum(case when is_remainder_row then 0 else rounded_credit end) over (
            partition by conversion_key, attribution_model
        ) as other_credit,
        sum(case when is_remainder_row then 0 else rounded_bookings end) over (
            partition by conversion_key, attribution_model
        ) as other_bookings,
        sum(case when is_remainder_row then 0 else rounded_first_year_acv end) over (
            partition by conversion_key, attribution_model
        ) as other_first_year_acv
    from amounts
),

final as (
    select
        {{ dbt.hash(dbt.concat([
            "conversion_key", "'|'", "attribution_model", "'|'", "coalesce(touch_id, 'direct')"
        ])) }} as attribution_credit_id,
        attribution_model,
        conversion_type,
        lead_id,
        opportunity_id,
        account_id,
        customer_id,
        opportunity_type,
        touch_id,
        touch_type,
        touch_id is null as is_default_direct,
        cast(touch_number as {{ dbt.type_bigint() }}) as touch_number,
        cast(touch_count as {{ dbt.type_bigint() }}) as touch_count,
        channel,
        is_paid,
        platform,
        campaign,
        ad_campaign_key,
        touched_at,
        converted_at,
        conversion_month,
        booking_month,
        cast(
            case when is_remainder_row then 1 - other_credit else rounded_credit end
            as decimal(18, 10)
        ) as credit,
        bookings_amount,
        cast(
            case when is_remainder_row then bookings_amount - other_bookings else rounded_bookings end
            as decimal(18, 2)
        ) as credited_bookings,
        cast(
            case
                when is_remainder_row then first_year_acv_amount - other_first_year_acv
                else rounded_first_year_acv
            end as decimal(18, 2)
        ) as credited_first_year_acv
    from remainders
)

select * from final
