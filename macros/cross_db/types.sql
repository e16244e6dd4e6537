{#- Column types that dbt's own type macros do not name the same way on every engine. -#}

{#- A double-precision (8-byte) float. dbt.type_float() gives `float`, which is 8 bytes on Postgres
    but 4 bytes on DuckDB, so rates and averages would lose digits there. Contracts in YAML cannot call
    macros: they spell the type `double precision`, which DuckDB and Postgres both read as this type. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro duckdb__type_double() -%}
    double
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}

{#- round(x, digits) of a double precision value: Postgres rounds to a number of digits only numerics,
    so it rounds the double's exact decimal value; DuckDB rounds the double itself. -#}
{% macro round_double(expression, digits) -%}
    {{ return(adapter.dispatch('round_double')(expression, digits)) }}
{%- endmacro %}

{% macro default__round_double(expression, digits) -%}
    round(cast({{ expression }} as numeric), {{ digits }})
{%- endmacro %}

{% macro duckdb__round_double(expression, digits) -%}
    round({{ expression }}, {{ digits }})
{%- endmacro %}

{#- Spark: `numeric` alone is decimal(10, 0) there, so the default would round to whole units, and
    Spark's round of a double rounds its shortest decimal spelling half up (1.005 -> 1.01), where
    DuckDB scales the double, rounds it half away from zero and scales back (1.005 * 100 is
    100.49999999999999 -> 1.0). This does DuckDB's steps: a whole-number round of the scaled double
    is the same on both (the shortest spelling of a double is never a .5 it is not). -#}
{% macro spark__round_double(expression, digits) -%}
    (round(({{ expression }}) * {{ 10 ** digits }}D, 0) / {{ 10 ** digits }}D)
{%- endmacro %}

{#- numerator / denominator of two decimals as a double precision quotient, as DuckDB computes it
    (its `/` on decimals divides doubles). Spark divides decimals exactly, so a quotient then rounded
    to the cent (round_double) could land on the other side of a half cent: there both operands
    become doubles first. Postgres keeps its exact numeric division. -#}
{% macro divide_as_double(numerator, denominator) -%}
    {{ return(adapter.dispatch('divide_as_double')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__divide_as_double(numerator, denominator) -%}
    ({{ numerator }}) / ({{ denominator }})
{%- endmacro %}

{% macro spark__divide_as_double(numerator, denominator) -%}
    cast({{ numerator }} as double) / cast({{ denominator }} as double)
{%- endmacro %}
