{#- Helpers of the funnel and sales models that are plain, portable SQL. -#}

{#- A surrogate key: the columns cast to text and joined with '|' (a null becomes the empty
    string), readable in BI and unique when the columns are. -#}
{% macro sales_key(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '')") -%}
        {%- if not loop.last -%}
            {%- do parts.append("'|'") -%}
        {%- endif -%}
    {%- endfor -%}
    {{ dbt.concat(parts) }}
{%- endmacro %}

{#- A query of one row per subset of `dimensions` (2^n rows), one boolean column keep_<dimension>
    per dimension: cross joined to facts, it lets one GROUP BY give every segment and every
    roll-up, a rolled-up dimension reading 'all' (so medians exist for totals too, which summing
    segments cannot give). -#}
{% macro sales_rollup_grid(dimensions) -%}
    {%- for combination in range(2 ** (dimensions | length)) %}
    select
        {%- for dimension in dimensions %}
        {{ 'true' if (combination // (2 ** loop.index0)) % 2 == 0 else 'false' }} as keep_{{ dimension }}
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#- The dimension's value, or 'all' when the roll-up grid row rolls it up. -#}
{% macro sales_rollup_value(dimension, grid_alias='grid', fact_alias=none) -%}
    case
        when {{ grid_alias }}.keep_{{ dimension }}
            then {{ (fact_alias ~ '.') if fact_alias else '' }}{{ dimension }}
        else 'all'
    end
{%- endmacro %}

{#- An amount in the reporting currency at a monthly rate (int_fx_rates_monthly.rate_to_reporting),
    rounded to the cent once per record, so sums agree with other marts that convert per record. -#}
{% macro sales_reporting_amount(amount, rate) -%}
    cast(round(cast({{ amount }} as decimal(28, 8)) * {{ rate }}, 2) as decimal(18, 2))
{%- endmacro %}

{#- Exact duration between two instants in hours (seconds / 3600) and in days (seconds / 86400), as
    decimal(18, 6): a millionth of an hour is 3.6 ms, below the data's one-second resolution. -#}
{% macro sales_hours_between(start_at, end_at) -%}
    cast(
        cast({{ dbt.datediff(start_at, end_at, "second") }} as {{ type_double() }}) / 3600
        as decimal(18, 6)
    )
{%- endmacro %}

{% macro sales_days_between_instants(start_at, end_at) -%}
    cast(
        cast({{ dbt.datediff(start_at, end_at, "second") }} as {{ type_double() }}) / 86400
        as decimal(18, 6)
    )
{%- endmacro %}

{#- Whole calendar days between two dates (or the UTC dates of instants). -#}
{% macro sales_days_between_dates(start_date, end_date) -%}
    {{ dbt.datediff('cast(' ~ start_date ~ ' as date)', 'cast(' ~ end_date ~ ' as date)', 'day') }}
{%- endmacro %}
