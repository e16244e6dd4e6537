-- One row per calendar month x sales channel (dense): the renewal rate, CRM view - renewal
-- opportunities closed won / renewal opportunities closed (won or lost) with their close date in the
-- month, by count and by amount (reporting currency at the close month's rate). The numerators and
-- denominators are kept so quarters, years and all channels recompute the rate from sums. A month
-- with no closed renewal has a null rate. The subscription view of the renewal rate lives with the
-- recurring-revenue marts.
{%- set sales_channels = ['direct', 'self-serve', 'partner'] %}

with closed_opportunities as (
    select * from {{ ref('int_opportunities_closed_valued') }}
    where opportunity_type = 'Renewal'
),

months as (
    select * from {{ ref('int_months') }}
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
        sales_channels.sales_channel
    from months
    cross join sales_channels
),

aggregated as (
    select
        close_month as month,
        sales_channel,
        count(*) as closed_renewals,
        sum(case when is_won then 1 else 0 end) as won_renewals,
        sum(amount_reporting) as closed_renewal_amount_reporting,
        sum(case when is_won then amount_reporting else 0 end) as won_renewal_amount_reporting
    from closed_opportunities
    group by close_month, sales_channel
),

final as (
    select
        -- ids
        {{ dbt.concat(["cast(grid.month as " ~ dbt.type_string() ~ ")", "'|'", "grid.sales_channel"]) }}
            as renewal_month_id,

        -- strings
        grid.sales_channel,

        -- dates
        grid.month,

        -- numerics
        cast(coalesce(aggregated.closed_renewals, 0) as bigint) as closed_renewals,
        cast(coalesce(aggregated.won_renewals, 0) as bigint) as won_renewals,
        cast(coalesce(aggregated.closed_renewal_amount_reporting, 0) as decimal(18, 2))
            as closed_renewal_amount_reporting,
        cast(coalesce(aggregated.won_renewal_amount_reporting, 0) as decimal(18, 2))
            as won_renewal_amount_reporting,
        cast({{ decimal_ratio('aggregated.won_renewals', 'aggregated.closed_renewals') }} as decimal(18, 6))
            as renewal_rate_count,
        cast(
            {{ decimal_ratio('aggregated.won_renewal_amount_reporting', 'aggregated.closed_renewal_amount_reporting') }}
            as decimal(18, 6)
        ) as renewal_rate_amount
    from grid
    left join aggregated
        on
            grid.month = aggregated.month
            and grid.sales_channel = aggregated.sales_channel
)

select * from final
