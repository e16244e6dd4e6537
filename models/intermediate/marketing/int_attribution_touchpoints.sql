-- The touches that count for each conversion, one row per conversion and touch: touches of the
-- conversion's people (int_attribution_conversion_people, matched on any of the touch's keys:
-- its person key, lead id or contact id) within var attribution_lookback_days (default 90)
-- before the conversion, both ends included: converted_at - N days <= touched_at <= converted_at.
-- A touch known only to the day (is_date_only, a campaign response) is compared in whole
-- calendar days with the conversion's date: conversion date - N <= touch date <= conversion date.
-- touch_number orders a conversion's touches from the first (1) to the last (touch_count) by
-- ordered_at, ties broken by touch_id; first-touch, last-touch and linear credits are read off it.
-- ordered_at is touched_at, except that a date-only touch is placed at the latest instant its day
-- allows: the end of its day, or the conversion itself when the conversion falls on that day. A
-- response date is the day the CRM logged the response (for a form fill, the conversion itself),
-- so a same-day web session that led to it comes first.
{%- set lookback_days = var('attribution_lookback_days') %}
{%- set window_start_date = dbt.dateadd('day', -1 * lookback_days, 'cast(conversions.converted_at as date)') %}

with conversions as (
    select * from {{ ref('int_attribution_conversions') }}
),

conversion_people as (
    select * from {{ ref('int_attribution_conversion_people') }}
),

touches as {{ not_materialized() }} (
    select * from {{ ref('int_marketing_touches') }}
),

touch_keys as (
    select
        touch_id,
        person_key
    from touches

    union

    select
        touch_id,
        {{ dbt.concat(["'lead:'", "lead_id"]) }} as person_key
    from touches
    where lead_id is not null

    union

    select
        touch_id,
        {{ dbt.concat(["'contact:'", "contact_id"]) }} as person_key
    from touches
    where contact_id is not null
),

people_touches as (
    select distinct
        conversion_people.conversion_key,
        touch_keys.touch_id
    from conversion_people
    inner join touch_keys on conversion_people.person_key = touch_keys.person_key
),

in_window as (
    select
        conversions.conversion_key,
        conversions.conversion_type,
        conversions.conversion_id,
        conversions.converted_at,
        touches.*
    from people_touches
    inner join conversions on people_touches.conversion_key = conversions.conversion_key
    inner join touches on people_touches.touch_id = touches.touch_id
    where
        case
            when touches.is_date_only
                then
                    touches.touched_date
                    >= cast({{ window_start_date }} as date)
                    and touches.touched_date <= cast(conversions.converted_at as date)
            else
                touches.touched_at >= {{ dbt.dateadd('day', -1 * lookback_days, 'conversions.converted_at') }}
                and touches.touched_at <= conversions.converted_at
        end
),

ordered as (
    select
        *,
        case
            when not is_date_only then touched_at
            when touched_date = cast(converted_at as date) then converted_at
            else {{ dbt.dateadd('millisecond', -1, dbt.dateadd('day', 1, 'touched_at')) }}
        end as ordered_at
    from in_window
),

final as (
    select
        {{ dbt.concat(["conversion_key", "'|'", "touch_id"]) }} as touchpoint_id,
        conversion_key,
        conversion_type,
        conversion_id,
        touch_id,
        touch_type,
        person_key,
        customer_id,
        channel,
        is_paid,
        platform,
        campaign,
        ad_campaign_key,
        touched_at,
        is_date_only,
        converted_at,
        ordered_at,
        row_number() over (
            partition by conversion_key
            order by ordered_at, touch_id
        ) as touch_number,
        count(*) over (partition by conversion_key) as touch_count
    from ordered
)

select * from final
