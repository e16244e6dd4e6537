{#- Engine-specific SQL of the revenue models. -#}

{#- numerator / denominator as a decimal(38, 10). Most engines divide decimals exactly; DuckDB
    divides them as doubles, so its version divides doubles and casts back: the cast rounds to 10
    decimals, which puts a double's representation error (about 1e-16 relative) back on the exact
    value for every amount a price book holds (the true quotients have small denominators, 3 or 12
    or 52, so none lies within 1e-10 of a rounding tie without being one). -#}
{% macro revenue_divide(numerator, denominator) -%}
    {{ return(adapter.dispatch('revenue_divide')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__revenue_divide(numerator, denominator) -%}
    cast(cast({{ numerator }} as decimal(38, 10)) / ({{ denominator }}) as decimal(38, 10))
{%- endmacro %}

{% macro duckdb__revenue_divide(numerator, denominator) -%}
    cast(cast({{ numerator }} as double) / cast({{ denominator }} as double) as decimal(38, 10))
{%- endmacro %}
