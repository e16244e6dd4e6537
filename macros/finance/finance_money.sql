{#- Money helpers of the finance models (bookings, billings, cash). -#}

{#- An amount converted into the reporting currency with a monthly rate (int_fx_rates_monthly's
    rate_to_reporting), rounded to the cent once. The amount is widened before the product so that
    a decimal(18, 2) amount times a decimal(18, 10) rate cannot overflow. -#}
{% macro to_reporting_currency(amount, rate) -%}
    cast(round(cast({{ amount }} as decimal(28, 8)) * {{ rate }}, 2) as decimal(18, 2))
{%- endmacro %}

{#- numerator / denominator as a decimal(28, 10), null when the denominator is 0 or null (a rate
    whose denominator is zero is null, never an error). Some engines (DuckDB) divide decimals in
    floating point: the quotient is cast back to a decimal at once, which restores the exact
    decimal for money-sized values, so a later round() to the cent rounds half away from zero
    (500.005 -> 500.01) instead of rounding a binary 500.00499... down. -#}
{% macro decimal_ratio(numerator, denominator) -%}
    cast(cast({{ numerator }} as decimal(28, 10)) / nullif({{ denominator }}, 0) as decimal(28, 10))
{%- endmacro %}
