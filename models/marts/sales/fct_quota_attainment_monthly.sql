-- Quota attainment per rep and month: bookings (int_rep_bookings_monthly: closed-won amount by
-- close date, reporting currency at the close month's rate) / the rep's quota for the month
-- (int_rep_quotas_monthly), with its attainment band (var quota_attainment_band_edges; each band
-- includes its lower edge). A team's attainment is the sum of its reps' bookings over the sum of
-- their quotas. One row per month and rep with a quota or bookings; a rep with bookings but no
-- quota has null attainment and band.
with bookings as (
    select * from {{ ref('int_rep_bookings_monthly') }}
),

quotas as (
    select * from {{ ref('int_rep_quotas_monthly') }}
),

reps as (
    select * from {{ ref('int_users_with_teams') }}
),

as_of as (
    select * from {{ ref('int_as_of') }}
),

combined as (
    select
        coalesce(quotas.month, bookings.month) as month,
        coalesce(quotas.owner_user_id, bookings.owner_user_id) as owner_user_id,
        quotas.quota_amount,
        coalesce(bookings.won_opportunity_count, 0) as won_opportunity_count,
        coalesce(bookings.bookings_amount, 0) as bookings_amount
    from quotas
    full outer join bookings
        on
            quotas.month = bookings.month
            and quotas.owner_user_id = bookings.owner_user_id
),

attained as (
    select
        combined.*,
        cast(combined.bookings_amount as decimal(28, 6)) / nullif(combined.quota_amount, 0) as quota_attainment
    from combined
    cross join as_of
    -- quotas are set ahead: months after the as-of month have no bookings yet
    where combined.month <= as_of.as_of_month
),

final as (
    select
        {{ sales_key(['attained.month', 'attained.owner_user_id']) }} as quota_attainment_id,
        attained.month,
        attained.owner_user_id,
        reps.team,
        cast(attained.won_opportunity_count as bigint) as won_opportunity_count,
        cast(attained.bookings_amount as decimal(18, 2)) as bookings_amount,
        cast(attained.quota_amount as decimal(18, 2)) as quota_amount,
        cast(attained.quota_attainment as decimal(18, 6)) as quota_attainment,
        {{ quota_attainment_band('attained.quota_attainment') }} as attainment_band
    from attained
    left join reps on attained.owner_user_id = reps.user_id
)

select * from final
