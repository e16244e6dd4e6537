-- One row per calendar month x opportunity type x sales channel (long format, dense: every
-- combination of every month of the spine, zeros included): bookings of opportunities closed won in
-- the month (by close date), in-period bookings, annual bookings (the trailing window of var
-- annual_bookings_window_days close dates ending on the month's last day), the count of won deals,
-- average deal size and average ACV, in the reporting currency. Sums of fct_bookings' rows; the
-- averages come with their numerator and denominator so any roll-up (all types, all channels, a
-- quarter from fct_bookings) recomputes them instead of averaging averages.
{%- set opportunity_types = [
    ('New Business', 'new_business'),
    ('Expansion', 'expansion_upsell'),
    ('Cross-sell', 'cross_sell'),
    ('Renewal', 'renewal'),
] %}
{%- set sales_channels = ['direct', 'self-serve', 'partner'] %}

with bookings as {{ not_materialized() }} (
    select * from {{ ref('fct_bookings') }}
),

months as (
    select * from {{ ref('int_months') }}
),

opportunity_types as (
    {%- for opportunity_type, booking_category in opportunity_types %}
        select
            '{{ opportunity_type }}' as opportunity_type,
            '{{ booking_category }}' as booking_category
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

sales_channels as (
    {%- for sales_channel in sales_channels %}
        select '{{ sales_channel }}' as sales_channel
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

grid as (
    select
        months.month,
        months.month_last_date,
        opportunity_types.opportunity_type,
        opportunity_types.booking_category,
        sales_channels.sales_channel
    from months
    cross join opportunity_types
    cross join sales_channels
),

in_month as (
    select
        close_month as month,
        opportunity_type,
        sales_channel,
        count(*) as won_deals,
        sum(amount_reporting) as bookings_reporting,
        sum(case when is_in_period_booking then 1 else 0 end) as in_period_won_deals,
        sum(case when is_in_period_booking then amount_reporting else 0 end) as in_period_bookings_reporting,
        count(acv_reporting) as won_deals_with_acv,
        sum(acv_reporting) as acv_total_reporting
    from bookings
    group by close_month, opportunity_type, sales_channel
),

trailing_window as (
    select
        grid.month,
        grid.opportunity_type,
        grid.sales_channel,
        sum(bookings.amount_reporting) as annual_bookings_reporting
    from grid
    inner join bookings
        on
            grid.opportunity_type = bookings.opportunity_type
            and grid.sales_channel = bookings.sales_channel
            and grid.month_last_date >= bookings.close_date
            and bookings.close_date
            > {{ dbt.dateadd('day', -1 * var('annual_bookings_window_days'), 'grid.month_last_date') }}
    group by grid.month, grid.opportunity_type, grid.sales_channel
),

final as (
    select
        -- ids
        {{ dbt.concat([
            "cast(grid.month as " ~ dbt.type_string() ~ ")", "'|'", "grid.opportunity_type", "'|'",
            "grid.sales_channel"
        ]) }} as bookings_month_id,

        -- strings
        grid.opportunity_type,
        grid.booking_category,
        grid.sales_channel,

        -- dates
        grid.month,

        -- numerics
        cast(coalesce(in_month.won_deals, 0) as bigint) as won_deals,
        cast(coalesce(in_month.bookings_reporting, 0) as decimal(18, 2)) as bookings_reporting,
        cast(coalesce(in_month.in_period_won_deals, 0) as bigint) as in_period_won_deals,
        cast(coalesce(in_month.in_period_bookings_reporting, 0) as decimal(18, 2))
            as in_period_bookings_reporting,
        cast(coalesce(trailing_window.annual_bookings_reporting, 0) as decimal(18, 2)) as annual_bookings_reporting,
        {{ money_quotient('in_month.bookings_reporting', 'in_month.won_deals') }} as average_deal_size_reporting,
        cast(coalesce(in_month.won_deals_with_acv, 0) as bigint) as won_deals_with_acv,
        cast(coalesce(in_month.acv_total_reporting, 0) as decimal(18, 2)) as acv_total_reporting,
        {{ money_quotient('in_month.acv_total_reporting', 'in_month.won_deals_with_acv') }} as average_acv_reporting
    from grid
    left join in_month
        on
            grid.month = in_month.month
            and grid.opportunity_type = in_month.opportunity_type
            and grid.sales_channel = in_month.sales_channel
    left join trailing_window
        on
            grid.month = trailing_window.month
            and grid.opportunity_type = trailing_window.opportunity_type
            and grid.sales_channel = trailing_window.sales_channel
)

select * from final
